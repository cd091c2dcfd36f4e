import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '../../../adapters/slack/signature.js';
import { fixtureJson, fixtureText, withFixtures } from './fixtures.js';

interface Vector {
  signing_secret: string;
  timestamp: string;
  raw_body: string;
  expected_signature: string;
}

describe('Slack request signatures', () => {
  withFixtures("Slack's documented vector verifies (JSON raw_body and the .txt body)", () => {
    const v = fixtureJson<Vector>('signature_vector_docs_slash_command.json');
    const nowMs = Number(v.timestamp) * 1000;
    expect(signSlackRequest(v.signing_secret, v.timestamp, v.raw_body)).toBe(v.expected_signature);
    for (const rawBody of [v.raw_body, fixtureText('slash_command_signed_docs_example.txt')]) {
      const check = verifySlackSignature({
        signingSecret: v.signing_secret,
        rawBody,
        timestamp: v.timestamp,
        signature: v.expected_signature,
        nowMs,
      });
      expect(check).toEqual({ ok: true });
    }
  });

  withFixtures('the documented vector fails when tampered, with another secret, or outside the window', () => {
    const v = fixtureJson<Vector>('signature_vector_docs_slash_command.json');
    const base = {
      signingSecret: v.signing_secret,
      rawBody: v.raw_body,
      timestamp: v.timestamp,
      signature: v.expected_signature,
    };
    const at = Number(v.timestamp) * 1000;
    expect(verifySlackSignature({ ...base, rawBody: `${v.raw_body}x`, nowMs: at })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySlackSignature({ ...base, signingSecret: 'other', nowMs: at })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySlackSignature({ ...base, nowMs: at + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    // Its real timestamp is from 2018: with today's clock it is a replay.
    expect(verifySlackSignature(base)).toEqual({ ok: false, reason: 'stale' });
  });

  it.each([
    ['fresh and correct', {}, { ok: true }],
    ['4 minutes old', { age: 240 }, { ok: true }],
    ['4 minutes in the future', { age: -240 }, { ok: true }],
    ['6 minutes old', { age: 360 }, { ok: false, reason: 'stale' }],
    ['wrong secret', { secret: 'nope' }, { ok: false, reason: 'mismatch' }],
    ['missing signature', { signature: '' }, { ok: false, reason: 'missing' }],
    ['garbage timestamp', { timestamp: 'abc' }, { ok: false, reason: 'missing' }],
    ['signature of another length', { signature: 'v0=abc' }, { ok: false, reason: 'mismatch' }],
  ])('%s', (_name, o: { age?: number; secret?: string; signature?: string; timestamp?: string }, expected) => {
    const now = 1_700_000_000_000;
    const ts = String(Math.floor(now / 1000) - (o.age ?? 0));
    const body = '{"type":"event_callback"}';
    const signature = o.signature ?? signSlackRequest(o.secret ?? 'secret', ts, body);
    expect(
      verifySlackSignature({
        signingSecret: 'secret',
        rawBody: Buffer.from(body),
        timestamp: o.timestamp ?? ts,
        signature,
        nowMs: now,
      }),
    ).toEqual(expected);
  });
});
