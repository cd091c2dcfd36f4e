import type { Logger } from 'pino';
import type { HttpRoute, RawHttpRequest, RawHttpResponse } from '../../core/chat.js';
import { decryptPayload, sameSecret, verifySignature } from './crypto.js';
import type { CallbackResponse } from './dispatcher.js';
import { envelopeFromBody } from './envelope.js';
import { type FeishuEnvelope, MAX_EVENT_AGE_MS } from './types.js';

export interface WebhookDeps {
  path: string;
  encryptKey?: string;
  verificationToken?: string;
  logger: Logger;
  ready: () => boolean;
  accept: (envelope: FeishuEnvelope) => CallbackResponse;
}

type Json = Record<string, unknown>;

function json(status: number, body: unknown): RawHttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

const refused = (why: string, logger: Logger): RawHttpResponse => {
  logger.warn({ why }, 'feishu: webhook request refused');
  return json(401, { error: 'unauthorized' });
};

function headerOf(req: RawHttpRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(req.headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** The verification token sits at the top level (v1, url_verification) or in the v2 header. */
function tokenOf(payload: Json): string | undefined {
  if (typeof payload.token === 'string') return payload.token;
  const header = payload.header as Json | undefined;
  return typeof header?.token === 'string' ? header.token : undefined;
}

/**
 * Events and card callbacks over HTTP: verify (signature over the raw bytes, then the
 * verification token), decrypt, answer url_verification, and acknowledge before any work.
 * A request that fails verification gets 401 and never reaches the dispatcher.
 */
export async function handleWebhook(req: RawHttpRequest, deps: WebhookDeps): Promise<RawHttpResponse> {
  const { logger, encryptKey, verificationToken } = deps;
  const outer = parseObject(req.rawBody.toString('utf8'));
  if (!outer) return json(400, { error: 'body must be a JSON object' });

  const signed = headerOf(req, 'x-lark-signature') !== undefined;
  if (encryptKey && signed) {
    const headers = {
      timestamp: headerOf(req, 'x-lark-request-timestamp'),
      nonce: headerOf(req, 'x-lark-request-nonce'),
      signature: headerOf(req, 'x-lark-signature'),
    };
    if (!verifySignature(headers, encryptKey, req.rawBody)) return refused('bad signature', logger);
    // A validly signed but old request is a replay.
    if (Math.abs(Date.now() / 1000 - Number(headers.timestamp)) > MAX_EVENT_AGE_MS / 1000)
      return refused('stale request', logger);
  }

  let payload = outer;
  if (typeof outer.encrypt === 'string') {
    if (!encryptKey) {
      logger.error('feishu: received an encrypted callback but FEISHU_ENCRYPT_KEY is not set');
      return json(400, { error: 'encrypted payload, no encrypt key configured' });
    }
    let inner: Json | undefined;
    try {
      inner = parseObject(decryptPayload(outer.encrypt, encryptKey));
    } catch {
      return refused('undecryptable payload', logger);
    }
    if (!inner) return refused('decrypted payload is not JSON', logger);
    payload = inner;
  }

  if (verificationToken) {
    const token = tokenOf(payload);
    if (token === undefined || !sameSecret(token, verificationToken)) return refused('verification token mismatch', logger);
  }

  if (payload.type === 'url_verification') {
    return typeof payload.challenge === 'string'
      ? json(200, { challenge: payload.challenge })
      : json(400, { error: 'no challenge' });
  }
  // Only the url_verification handshake comes unsigned; with an encrypt key, everything else must be signed.
  if (encryptKey && !signed) return refused('unsigned event', logger);
  if (!deps.ready()) return json(503, { error: 'not started' });

  const envelope = envelopeFromBody(payload);
  if (!envelope) {
    logger.debug({ type: payload.type }, 'feishu: callback without a schema 2.0 envelope ignored');
    return json(200, {});
  }
  return json(200, deps.accept(envelope) ?? {});
}

export function webhookRoutes(deps: WebhookDeps): HttpRoute[] {
  return [{ method: 'POST', path: deps.path, handle: (req) => handleWebhook(req, deps) }];
}
