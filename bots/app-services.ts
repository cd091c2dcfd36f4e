import { resolve } from 'node:path';
import { databasePassword, openStateDb } from '../adapters/registry/open-state.js';
import { createSqlRegistry } from '../adapters/registry/sql-registry.js';
import type { CitationLink } from '../core/answer.js';
import { createAnswerService } from '../core/answering/answer-service.js';
import type { TeamKbConfig } from '../core/config/schema.js';
import type { Embedder } from '../core/embedder.js';
import { type IngestQueue, QUEUE_OWNER } from '../core/ingest/queue.js';
import { recoverInterruptedJobs } from '../core/ingest/recovery.js';
import { filesDirOf } from '../core/kb/folders.js';
import { createKbService } from '../core/kb/service.js';
import type { Llm } from '../core/llm.js';
import { loaderPoolOptions } from '../core/loaders/pool/from-config.js';
import { createLoaderPool } from '../core/loaders/pool/loader-pool.js';
import { secretValuesOf } from '../core/log-redaction.js';
import { addLogSecrets, createLogger, type Logger } from '../core/logger.js';
import type { VectorStore } from '../core/vector-store.js';
import { type CoreServices, registryPath } from './core-services.js';
import { passagePath } from './passages/links.js';
import { isJobOwnerAlive } from './wiring/job-owner.js';
import { createModels } from './wiring/models.js';
import { createStore, type StoreHold } from './wiring/store.js';

export type { CoreServices } from './core-services.js';

export interface OpenCoreOptions {
  /** Load the configured LLMs too (the server and `kb ask` need them; other CLI commands do not). */
  llms?: boolean;
  /** Log warnings only (CLI). */
  quiet?: boolean;
  logger?: Logger;
  /** Lets the caller hold the embedded store while another process writes it. */
  storeHold?: StoreHold;
}

/**
 * Builds the shared services from configuration: the one place that picks implementations. The
 * server (start.ts), the CLI and the scripts all open the core here; bots/main.ts is only the entry.
 */
export async function openCore(config: TeamKbConfig, opts: OpenCoreOptions = {}): Promise<CoreServices> {
  // Every secret in the configuration is cut out of every log line, whoever writes it.
  addLogSecrets([...secretValuesOf(config), ...databasePassword(config.basic.databaseUrl)]);
  const logger = opts.logger ?? createLogger(opts.quiet && config.basic.logLevel === 'info' ? 'warn' : config.basic.logLevel);
  const dataDir = resolve(config.basic.dataDir);
  const filesDir = filesDirOf(config.basic);
  const db = openStateDb({ databaseUrl: config.basic.databaseUrl, sqlitePath: registryPath(dataDir) });
  const registry = createSqlRegistry(db);
  const store: VectorStore = await createStore(config, dataDir, logger, opts.storeHold);
  // Jobs on the queue are the queue's to retry; the others belonged to a process.
  const isAlive = (owner: string | null) => owner === QUEUE_OWNER || isJobOwnerAlive(owner);
  for (const job of await recoverInterruptedJobs({ registry, store, isAlive })) {
    logger.warn(`${job.kind} job ${job.id} on knowledge base "${job.kb}" was interrupted by a stop; marked failed`);
  }
  const models = await createModels(config, logger, { llms: opts.llms ?? false });
  const embedder: Embedder | null = models.embedder;
  const { databaseUrl, ingestTimeoutSeconds } = config.basic;
  const queue = databaseUrl ? await openIngestQueue(databaseUrl, ingestTimeoutSeconds, logger) : undefined;
  const loader = createLoaderPool(loaderPoolOptions(config.kb.limits, config.kb.ocrLanguages));
  const kb = createKbService({
    registry,
    store,
    embedder,
    loader,
    filesDir,
    settings: {
      chunkSize: config.kb.chunkSize,
      chunkOverlap: config.kb.chunkOverlap,
      maxFileBytes: config.kb.maxFileBytes,
      embedBatchSize: config.kb.embedBatchSize,
    },
    search: {
      topK: config.kb.topK,
      scoreThreshold: config.kb.scoreThreshold,
      mode: config.kb.searchMode,
      fusion: { method: config.kb.fusion, denseWeight: config.kb.denseWeight },
      neighbours: config.kb.neighbourChunks,
    },
    reranker: models.reranker,
    warn: (msg) => logger.warn(msg),
    queue,
  });
  const llms: Array<{ name: string; llm: Llm }> = models.llms;
  return {
    config,
    logger,
    dataDir,
    filesDir,
    db,
    registry,
    store,
    embedder,
    embedderProblem: models.embedderProblem,
    reranker: models.reranker,
    rerankerProblem: models.rerankerProblem,
    loader,
    kb,
    llms,
    llmProblems: models.llmProblems,
    queue,
    async close() {
      await queue?.close().catch(() => undefined);
      for (const { llm } of llms) await llm.close?.().catch(() => undefined);
      await embedder?.close?.().catch(() => undefined);
      await models.reranker?.close?.().catch(() => undefined);
      await store.close().catch(() => undefined);
      await loader.close();
      db.close();
    },
  };
}

/** With PostgreSQL, ingests go through the durable queue every replica shares. */
async function openIngestQueue(databaseUrl: string, timeoutSeconds: number, logger: Logger): Promise<IngestQueue> {
  // pg-boss and the pg driver load only with PostgreSQL: the SQLite default never needs them.
  const { openPgBossQueue } = await import('../adapters/queue/pg-boss-queue.js');
  return openPgBossQueue({
    databaseUrl,
    timeoutSeconds,
    onError: (err) => logger.warn(`ingest queue: ${err.message}`),
  });
}

/**
 * Citation links: absolute under TEAMKB_PUBLIC_URL when set, else relative to this server (the web
 * chat and API clients resolve them; chat replies then show plain names, see bots/reply).
 */
function publicBase(config: TeamKbConfig): string {
  return (config.server.publicUrl ?? '').replace(/\/+$/, '');
}

/** A citation opens its passage page; plain answers and agent answers link the same way. */
export function citationLinkFor(config: TeamKbConfig): CitationLink {
  return (kb, _file, chunkId) => `${publicBase(config)}${passagePath(kb, chunkId)}`;
}

export function answerServiceFor(core: CoreServices, web?: Parameters<typeof createAnswerService>[0]['web']) {
  return createAnswerService({
    kb: core.kb,
    llms: core.llms,
    prompts: core.config.prompts,
    maxTokens: core.config.model.maxTokens,
    temperature: core.config.model.temperature,
    historyTurns: core.config.bot.historyTurns,
    web,
    link: citationLinkFor(core.config),
  });
}
