import { type ErrorCode, TeamKbError } from '../../core/errors.js';
import { cancelledError, sleep } from './cancel.js';
import { type ModelLogger, silentLogger } from './logger.js';

export interface OpenAiEndpoint {
  /** e.g. http://localhost:11434/v1 (a bare origin gets /v1 added). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  role: 'embedder' | 'llm';
  /** Retries on 429, 5xx and dropped connections (default 4). */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  logger?: ModelLogger;
}

const ROLE_FACTS = {
  embedder: { code: 'EMBEDDER_UNAVAILABLE', what: 'Embedding server', keyEnv: 'TEAMKB_EMBEDDER_API_KEY' },
  llm: { code: 'LLM_UNAVAILABLE', what: 'LLM server', keyEnv: 'TEAMKB_LLM_API_KEY' },
} as const satisfies Record<string, { code: ErrorCode; what: string; keyEnv: string }>;

const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'EPIPE']);

export function endpointUrl(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  const base = url.pathname.replace(/\/+$/, '');
  url.pathname = `${base === '' ? '/v1' : base}/${path.replace(/^\/+/, '')}`;
  return url.toString();
}

/** Retry-After in seconds or as an HTTP date; otherwise exponential backoff. */
export function retryDelayMs(retryAfter: string | null, attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.min(maxDelayMs, Math.max(0, seconds * 1000));
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.min(maxDelayMs, Math.max(0, date - Date.now()));
  }
  return Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
}

async function serverMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    const message = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
    if (message) return message.slice(0, 200);
  } catch {}
  return text.trim().slice(0, 200);
}

function networkCode(err: unknown): string | undefined {
  return (err as { cause?: { code?: string } })?.cause?.code ?? (err as { code?: string })?.code;
}

export function endpointError(endpoint: OpenAiEndpoint, url: string, reason: string, code?: ErrorCode, cause?: unknown) {
  const facts = ROLE_FACTS[endpoint.role];
  return new TeamKbError(code ?? facts.code, `${facts.what} ${url}: ${reason}`, {
    cause,
    details: { url, model: endpoint.model },
  });
}

async function statusError(endpoint: OpenAiEndpoint, url: string, res: Response): Promise<TeamKbError> {
  const facts = ROLE_FACTS[endpoint.role];
  const detail = await serverMessage(res);
  const said = detail ? ` (server said: ${detail})` : '';
  if (res.status === 401 || res.status === 403) {
    const key = endpoint.apiKey ? `check ${facts.keyEnv}` : `set ${facts.keyEnv}`;
    return endpointError(endpoint, url, `rejected the API key (HTTP ${res.status}); ${key}${said}`);
  }
  if (res.status === 404) {
    return endpointError(
      endpoint,
      url,
      `HTTP 404: model "${endpoint.model}" or the endpoint does not exist; check the model name and base URL${said}`,
    );
  }
  if (res.status === 429)
    return endpointError(endpoint, url, `still rate limited (HTTP 429) after retries${said}`, 'RATE_LIMITED');
  return endpointError(endpoint, url, `HTTP ${res.status}${said}`);
}

/** POSTs JSON with the bearer key; retries 429/5xx/dropped connections; returns a 2xx response. */
export async function postOpenAi(endpoint: OpenAiEndpoint, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  const url = endpointUrl(endpoint.baseUrl, path);
  const logger = endpoint.logger ?? silentLogger;
  const maxRetries = endpoint.maxRetries ?? 4;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    } catch (err) {
      if (signal?.aborted) throw cancelledError(`Request to ${url}`);
      const code = networkCode(err);
      if (code && RETRYABLE_NETWORK.has(code) && attempt < maxRetries) {
        await sleep(retryDelayMs(null, attempt, endpoint.baseDelayMs ?? 500, endpoint.maxDelayMs ?? 20_000), signal, 'Request');
        continue;
      }
      const reason =
        code === 'ECONNREFUSED'
          ? 'connection refused; is the server running?'
          : `cannot connect (${code ?? (err as Error).message})`;
      throw endpointError(endpoint, url, reason, undefined, err);
    }
    if (res.ok) return res;
    const retryable = res.status === 429 || res.status >= 500;
    if (!retryable || attempt >= maxRetries) throw await statusError(endpoint, url, res);
    const delay = retryDelayMs(
      res.headers.get('retry-after'),
      attempt,
      endpoint.baseDelayMs ?? 500,
      endpoint.maxDelayMs ?? 20_000,
    );
    await res.body?.cancel();
    logger.warn(`${url} answered HTTP ${res.status}; retrying in ${Math.round(delay)} ms`);
    await sleep(delay, signal, `Request to ${url}`);
  }
}
