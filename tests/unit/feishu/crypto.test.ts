import { readFileSync } from 'node:fs';
import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { computeSignature, decryptPayload, verifySignature } from '../../../adapters/feishu/crypto.js';
import { isTeamKbError } from '../../../core/errors.js';
import { sharedFixture } from '../../helpers/shared.js';
import { encrypt, sign } from './fake/events.js';

function fixture<T>(name: string): T | undefined {
  const path = sharedFixture(`platforms/feishu/${name}`, `Feishu vector ${name}`);
  return path ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

describe('Feishu payload crypto', () => {
  it('decrypts what the platform encrypts, and agrees with the SDK cipher', () => {
    const plaintext = JSON.stringify({ challenge: 'c-1', token: 't', type: 'url_verification', text: '中文 ✓' });
    const encrypted = encrypt(plaintext, 'my key');
    expect(decryptPayload(encrypted, 'my key')).toBe(plaintext);
    expect(new lark.AESCipher('my key').decrypt(encrypted)).toBe(plaintext);
  });

  it('refuses a wrong key or damaged ciphertext with a typed error', () => {
    const encrypted = encrypt('{"a":1}', 'right key');
    expect(() => decryptPayload(encrypted, 'wrong key')).toThrow(/FEISHU_ENCRYPT_KEY/);
    try {
      decryptPayload('bm90IGVuY3J5cHRlZA==', 'k');
    } catch (err) {
      expect(isTeamKbError(err, 'INVALID_INPUT')).toBe(true);
    }
  });

  it('signs timestamp + nonce + key + raw body and verifies only exact bytes', () => {
    const body = Buffer.from('{"encrypt":"abc"}');
    const signature = computeSignature('1700000000', 'n-1', 'key', body);
    expect(signature).toBe(sign('1700000000', 'n-1', 'key', body.toString()));
    expect(verifySignature({ timestamp: '1700000000', nonce: 'n-1', signature }, 'key', body)).toBe(true);
    expect(verifySignature({ timestamp: '1700000000', nonce: 'n-1', signature: signature.toUpperCase() }, 'key', body)).toBe(
      true,
    );
    expect(verifySignature({ timestamp: '1700000000', nonce: 'n-1', signature }, 'key', Buffer.from('{"encrypt": "abc"}'))).toBe(
      false,
    );
    expect(verifySignature({ timestamp: '1700000001', nonce: 'n-1', signature }, 'key', body)).toBe(false);
    expect(verifySignature({ nonce: 'n-1', signature }, 'key', body)).toBe(false);
    expect(verifySignature({ timestamp: '1700000000', nonce: 'n-1', signature: 'short' }, 'key', body)).toBe(false);
  });
});

describe('Feishu published vectors (shared fixtures)', () => {
  it('documented vector: key "test key" decrypts to "hello world"', (ctx) => {
    const v = fixture<{ encrypt_key: string; encrypt: string; expected_plaintext: string }>(
      'decrypt_vector_test_key_hello_world.json',
    );
    if (!v) return ctx.skip();
    expect(decryptPayload(v.encrypt, v.encrypt_key)).toBe(v.expected_plaintext);
  });

  it('Java SDK event: decrypts to the asserted plaintext and the signature matches the raw body', (ctx) => {
    const v = fixture<{
      encrypt_key: string;
      headers: Record<string, string>;
      raw_body: string;
      expected_signature: string;
      expected_plaintext: string;
    }>('event_encrypted_with_signature.json');
    if (!v) return ctx.skip();
    const { encrypt: ciphertext } = JSON.parse(v.raw_body) as { encrypt: string };
    expect(decryptPayload(ciphertext, v.encrypt_key)).toBe(v.expected_plaintext);
    const timestamp = v.headers['X-Lark-Request-Timestamp'] as string;
    const nonce = v.headers['X-Lark-Request-Nonce'] as string;
    expect(computeSignature(timestamp, nonce, v.encrypt_key, v.raw_body)).toBe(v.expected_signature);
    expect(verifySignature({ timestamp, nonce, signature: v.expected_signature }, v.encrypt_key, Buffer.from(v.raw_body))).toBe(
      true,
    );
  });

  it('node-sdk url_verification: decrypts to the challenge the SDK asserts', (ctx) => {
    const v = fixture<{
      encrypt_key: string;
      request_body: { encrypt: string };
      expected_plaintext: string;
      expected_response_body: { challenge: string };
    }>('url_verification_encrypted.json');
    if (!v) return ctx.skip();
    const plaintext = decryptPayload(v.request_body.encrypt, v.encrypt_key);
    expect(plaintext).toBe(v.expected_plaintext);
    expect((JSON.parse(plaintext) as { challenge: string }).challenge).toBe(v.expected_response_body.challenge);
  });
});
