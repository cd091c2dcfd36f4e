import { basename } from 'node:path';
import { TeamKbError } from '../errors.js';
import { normalizeKbName } from './name-lookalikes.js';

/** Letters of any script (CJK included) with their combining marks, digits, "-", "_" and ".". */
const KB_NAME_CHARS = /^[\p{L}\p{M}\p{N}_.-]+$/u;
const MAX_KB_NAME = 64;

/** Why a knowledge-base name is unusable, or undefined when it is fine. */
export function kbNameProblem(name: string): string | undefined {
  const length = [...name].length;
  const rule = `use 1–${MAX_KB_NAME} letters (any language), digits, "-", "_" or "."`;
  if (length === 0) return `A knowledge base name is required: ${rule}.`;
  if (length > MAX_KB_NAME) return `Knowledge base name "${name.slice(0, 20)}…" is too long (${length} characters): ${rule}.`;
  if (!KB_NAME_CHARS.test(name)) return `"${name}" is not a valid knowledge base name: ${rule}.`;
  if (/^[.\-_]/.test(name)) return `"${name}" is not a valid knowledge base name: it must start with a letter or digit.`;
  return undefined;
}

/** Returns the trimmed name, or throws KB_NAME_INVALID saying what is wrong. */
export function validateKbName(name: string): string {
  const trimmed = normalizeKbName(name);
  const problem = kbNameProblem(trimmed);
  if (problem) throw new TeamKbError('KB_NAME_INVALID', problem, { details: { name } });
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
