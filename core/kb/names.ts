import { basename } from 'node:path';
import { TeamKbError } from '../errors.js';

const KB_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,63}$/u;

/** KB names: 1–64 letters (any script), digits, "-", "_" or "."; not starting with a symbol. */
export function validateKbName(name: string): string {
  const trimmed = name.trim();
  if (!KB_NAME.test(trimmed)) {
    throw new TeamKbError(
      'KB_NAME_INVALID',
      `"${name}" is not a valid knowledge base name: use 1-64 letters, digits, "-", "_" or "." (no spaces), starting with a letter or digit.`,
    );
  }
  return trimmed;
}

/** A file name safe to store inside a KB folder: keeps sub-folders, refuses traversal. */
export function safeFileName(name: string): string {
  const parts = name
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p && p !== '.' && p !== '..');
  const cleaned = parts.map((p) => p.replace(/[\u0000-\u001f<>:"|?*]/g, '_')).join('/');
  if (!cleaned) throw new TeamKbError('INVALID_INPUT', `"${basename(name)}" is not a usable file name.`);
  return cleaned;
}
