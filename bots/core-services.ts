import { join, resolve } from 'node:path';
import type { SqlDb } from '../adapters/registry/sql-db.js';
import type { TeamKbConfig } from '../core/config/schema.js';
import type { Embedder } from '../core/embedder.js';
import type { IngestQueue } from '../core/ingest/queue.js';
import type { DocumentLoader } from '../core/ingest/types.js';
import type { LocalKbService } from '../core/kb/service.js';
import type { Llm } from '../core/llm.js';
import type { Logger } from '../core/logger.js';
import type { Registry } from '../core/registry.js';
import type { Reranker } from '../core/reranker.js';
import type { VectorStore } from '../core/vector-store.js';

/** Everything the CLI, HTTP API and chat runtime share, built once per process. */
export interface CoreServices {
  config: TeamKbConfig;
  logger: Logger;
  dataDir: string;
  /** Every KB's source files (basic.filesDir, default <dataDir>/kbs). */
  filesDir: string;
  db: SqlDb;
  registry: Registry;
  store: VectorStore;
  embedder: Embedder | null;
  /** Why the embedder is missing when one was configured (shown in the banner and /healthz). */
  embedderProblem?: string;
  /** Optional cross-encoder applied by kb.search; null when none is configured or it failed to load. */
  reranker: Reranker | null;
  /** Why the configured reranker is missing (shown in the banner and /healthz). */
  rerankerProblem?: string;
  loader: DocumentLoader;
  kb: LocalKbService;
  llms: Array<{ name: string; llm: Llm }>;
  llmProblems: string[];
  /** The durable ingest queue (PostgreSQL only); workers take jobs from it. */
  queue?: IngestQueue;
  close(): Promise<void>;
}

export const registryPath = (dataDir: string) => join(resolve(dataDir), 'teamkb.sqlite');
