import { TeamKbError } from '../../core/errors.js';
import type { KbService } from '../../core/kb-service.js';

export interface TeamKbPassage {
  text: string;
  /** 0..1, higher is closer. */
  score: number;
  kb: string;
  source: string;
  page?: number;
  chunkId: string;
}

export interface TeamKbKb {
  name: string;
  description?: string;
}

/** What the retriever and tools need from TeamKB, over HTTP or in the same process. */
export interface TeamKbClient {
  listKnowledgeBases(): Promise<TeamKbKb[]>;
  /** `kbs` empty or absent: every knowledge base the caller may see. */
  search(query: string, opts?: { kbs?: string[]; topK?: number; signal?: AbortSignal }): Promise<TeamKbPassage[]>;
}

export interface HttpClientOptions {
  /** e.g. http://localhost:7860 */
  url: string;
  /** TEAMKB_API_KEY of that server, when it requires one. */
  apiKey?: string;
  fetch?: typeof fetch;
}

/** A running TeamKB over its REST API. */
export function httpTeamKbClient(options: HttpClientOptions): TeamKbClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { ...init, headers });
    } catch (err) {
      throw new TeamKbError('STORE_UNAVAILABLE', `TeamKB at ${base} cannot be reached (${(err as Error).message})`, {
        cause: err,
      });
    }
    const body = (await res.json().catch(() => ({}))) as T & { error?: { code?: string; message?: string } };
    if (!res.ok) {
      const message = body.error?.message ?? `HTTP ${res.status}`;
      const code =
        res.status === 401 || res.status === 403 ? 'PERMISSION_DENIED' : res.status === 404 ? 'KB_NOT_FOUND' : 'SEARCH_FAILED';
      throw new TeamKbError(code, `TeamKB at ${base}: ${message}`);
    }
    return body;
  }

  const client: TeamKbClient = {
    async listKnowledgeBases() {
      const { kbs } = await call<{ kbs: Array<{ name: string; description?: string }> }>('/api/kb');
      return kbs.map((k) => ({ name: k.name, ...(k.description ? { description: k.description } : {}) }));
    },
    async search(query, opts = {}) {
      const kbs = opts.kbs?.length ? opts.kbs : (await client.listKnowledgeBases()).map((k) => k.name);
      if (kbs.length === 0) return [];
      const { hits } = await call<{
        hits: Array<{ text: string; score: number; source: string; page: number | null; chunk_id: string; kb: string }>;
      }>(`/api/kb/${kbs.map(encodeURIComponent).join(',')}/search`, {
        method: 'POST',
        body: JSON.stringify({ query, ...(opts.topK ? { top_k: opts.topK } : {}) }),
        signal: opts.signal,
      });
      return hits.map((h) => ({
        text: h.text,
        score: h.score,
        kb: h.kb,
        source: h.source,
        ...(h.page !== null ? { page: h.page } : {}),
        chunkId: h.chunk_id,
      }));
    },
  };
  return client;
}

/**
 * TeamKB's KB service in this process. `visibleKbs` is the access decision for whoever the caller
 * acts for (default: every knowledge base).
 */
export function localTeamKbClient(kb: KbService, visibleKbs: () => TeamKbKb[] = () => kb.listKbs()): TeamKbClient {
  const visible = () => visibleKbs().map((k) => ({ name: k.name, ...(k.description ? { description: k.description } : {}) }));
  return {
    listKnowledgeBases: async () => visible(),
    async search(query, opts = {}) {
      const allowed = visible().map((k) => k.name);
      for (const name of opts.kbs ?? []) {
        if (!allowed.includes(name)) throw new TeamKbError('KB_NOT_FOUND', `No knowledge base named "${name}".`);
      }
      const kbs = opts.kbs?.length ? opts.kbs : allowed;
      if (kbs.length === 0) return [];
      const hits = await kb.search(kbs, query, { topK: opts.topK });
      return hits.map((h) => ({
        text: h.chunk.text,
        score: h.score,
        kb: h.kb,
        source: h.chunk.meta.source,
        ...(h.chunk.meta.page !== undefined ? { page: h.chunk.meta.page } : {}),
        chunkId: h.chunk.id,
      }));
    },
  };
}
