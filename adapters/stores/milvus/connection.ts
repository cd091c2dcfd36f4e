import type { Logger } from 'pino';
import { TeamKbError } from '../../../core/errors.js';
import type { MilvusApi } from './api.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry.js';
import { atLeast, FULL_TEXT_MIN, formatVersion, INDEX_ALGO_MIN, supportsFullText } from './schema.js';
import { checkStatus, storeError } from './status.js';

/** A connected client and what its server can do. */
export interface MilvusServer {
  client: MilvusApi;
  /** e.g. "v2.5.16" */
  version: string;
  /** BM25 full-text search is safe to use (FULL_TEXT_MIN or later). */
  fullText: boolean;
  /** Sparse indexes accept `inverted_index_algo`. */
  indexAlgo: boolean;
}

export interface MilvusConnectionOptions {
  address: string;
  /** Makes a new client; called for every connection attempt (see `attempt`). */
  makeClient: () => Promise<MilvusApi>;
  retry?: RetryPolicy;
  logger?: Logger;
  /** While disconnected, try again in the background this often, so /healthz recovers on its own. */
  reconnectMs?: number;
}

/**
 * The link to one Milvus server. The SDK client connects once, in its constructor, and every
 * later call awaits that one promise — after a failed first connect a client can never succeed.
 * So each attempt makes a fresh client, and a client whose server went away is dropped: the next
 * call (or the background timer) dials again, and a Milvus that starts after TeamKB is picked up.
 */
export class MilvusConnection {
  private server?: MilvusServer;
  private opening?: Promise<MilvusServer>;
  private timer?: ReturnType<typeof setInterval>;
  private closed = false;
  private currentProblem?: string;

  constructor(private readonly opts: MilvusConnectionOptions) {}

  /** Why the store cannot serve right now, in words; undefined when the last call went well. */
  get problem(): string | undefined {
    return this.currentProblem;
  }

  get connected(): boolean {
    return this.server !== undefined;
  }

  async get(): Promise<MilvusServer> {
    if (this.closed) throw new TeamKbError('STORE_UNAVAILABLE', `The Milvus store for ${this.opts.address} is closed.`);
    if (this.server !== undefined) return this.server;
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** A call went well: whatever was wrong is over. */
  healthy(): void {
    this.currentProblem = undefined;
  }

  /** A call failed for a reason users and /healthz should see (denied, rate-limited, not ready). */
  report(problem: string): void {
    this.currentProblem = problem;
  }

  /** The server stopped answering: drop this client so the next call connects afresh. */
  async lost(server: MilvusServer, problem: string): Promise<void> {
    this.currentProblem = problem;
    if (this.server !== server) return;
    this.server = undefined;
    this.opts.logger?.warn({ address: this.opts.address }, `lost Milvus: ${problem}`);
    await server.client.closeConnection().catch(() => undefined);
    this.keepTrying();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.opening?.catch(() => undefined);
    const server = this.server;
    this.server = undefined;
    await server?.client.closeConnection();
  }

  private async open(): Promise<MilvusServer> {
    try {
      const server = await withRetry(() => this.attempt(), this.opts.retry ?? DEFAULT_RETRY);
      if (this.closed) {
        await server.client.closeConnection().catch(() => undefined);
        throw new TeamKbError('STORE_UNAVAILABLE', `The Milvus store for ${this.opts.address} is closed.`);
      }
      this.server = server;
      this.currentProblem = undefined;
      this.announce(server);
      return server;
    } catch (err) {
      if (err instanceof TeamKbError) throw err;
      const cause = storeError(err, 'connect', this.opts.address);
      const error = new TeamKbError(
        cause.code === 'PERMISSION_DENIED' ? 'PERMISSION_DENIED' : 'STORE_UNAVAILABLE',
        `Cannot reach Milvus at ${this.opts.address}: ${firstLine(err)}. Check that the server is running (docker compose up milvus), the host and port (default 19530), TLS (kb.milvus.ssl) and the token or username/password; TeamKB keeps trying in the background.`,
        { cause: err, details: { address: this.opts.address } },
      );
      this.currentProblem = error.message;
      this.keepTrying();
      throw error;
    }
  }

  private async attempt(): Promise<MilvusServer> {
    const client = await this.opts.makeClient();
    try {
      const res = await client.getVersion();
      checkStatus(res.status, 'read the server version');
      return {
        client,
        version: res.version,
        fullText: supportsFullText(res.version),
        indexAlgo: atLeast(res.version, INDEX_ALGO_MIN),
      };
    } catch (err) {
      await client.closeConnection().catch(() => undefined);
      throw err;
    }
  }

  private announce(server: MilvusServer): void {
    const facts = { address: this.opts.address, version: server.version };
    if (server.fullText) this.opts.logger?.info(facts, 'connected to Milvus');
    else {
      this.opts.logger?.warn(
        facts,
        `Milvus before ${formatVersion(FULL_TEXT_MIN)}: dense search only, no BM25, hybrid or keyword-only knowledge bases`,
      );
    }
  }

  private keepTrying(): void {
    const every = this.opts.reconnectMs ?? 10_000;
    if (this.timer !== undefined || this.closed || every <= 0) return;
    this.timer = setInterval(() => {
      if (this.server !== undefined || this.closed) {
        clearInterval(this.timer);
        this.timer = undefined;
        return;
      }
      this.get().catch(() => undefined);
    }, every);
    this.timer.unref();
  }
}

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] || err.name : String(err);
}
