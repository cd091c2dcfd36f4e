import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { TeamKbError } from '../../core/errors.js';

/**
 * Decrypts an `{"encrypt": "..."}` payload: AES-256-CBC, key = SHA-256(encrypt key),
 * IV = the first 16 bytes of the base64-decoded text, PKCS#7 padding.
 */
export function decryptPayload(encrypted: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const bytes = Buffer.from(encrypted, 'base64');
  if (bytes.length < 32 || bytes.length % 16 !== 0) {
    throw new TeamKbError('INVALID_INPUT', 'Feishu payload is not valid encrypted data (check FEISHU_ENCRYPT_KEY).');
  }
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, bytes.subarray(0, 16));
    return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new TeamKbError('INVALID_INPUT', 'Feishu payload could not be decrypted (check FEISHU_ENCRYPT_KEY).', { cause });
  }
}

/** X-Lark-Signature: hex SHA-256 over timestamp + nonce + encrypt key + the raw (still encrypted) body. */
export function computeSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer | string): string {
  return createHash('sha256').update(timestamp).update(nonce).update(encryptKey).update(rawBody).digest('hex');
}

export interface SignatureHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
}

/** True only when all three headers are present and the signature matches the raw bytes. */
export function verifySignature(headers: SignatureHeaders, encryptKey: string, rawBody: Buffer): boolean {
  const { timestamp, nonce, signature } = headers;
  if (timestamp === undefined || nonce === undefined || !signature) return false;
  const expected = Buffer.from(computeSignature(timestamp, nonce, encryptKey, rawBody), 'utf8');
  const given = Buffer.from(signature.trim().toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Compares two secrets without leaking their common prefix length through timing. */
export function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}
