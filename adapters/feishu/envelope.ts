import type { FeishuEnvelope } from './types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function millis(value: unknown): number | undefined {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** A decrypted schema 2.0 callback body (`{schema, header, event}`) as sent to the webhook. */
export function envelopeFromBody(body: unknown): FeishuEnvelope | undefined {
  if (!isRecord(body) || !isRecord(body.header) || !isRecord(body.event)) return undefined;
  const eventId = text(body.header.event_id);
  const eventType = text(body.header.event_type);
  if (!eventId || !eventType) return undefined;
  const createdAt = millis(body.header.create_time);
  return { eventId, eventType, tenantKey: text(body.header.tenant_key), event: body.event, ...(createdAt ? { createdAt } : {}) };
}

/**
 * The node-sdk EventDispatcher hands handlers header and event fields merged into one object;
 * the event fields we read (message, sender, operator, action, context) survive that merge.
 */
export function envelopeFromSdk(data: unknown, eventType: string): FeishuEnvelope | undefined {
  if (!isRecord(data)) return undefined;
  const eventId = text(data.event_id);
  if (!eventId) return undefined;
  const createdAt = millis(data.create_time);
  return {
    eventId,
    eventType: text(data.event_type) ?? eventType,
    tenantKey: text(data.tenant_key),
    event: data,
    ...(createdAt ? { createdAt } : {}),
  };
}
