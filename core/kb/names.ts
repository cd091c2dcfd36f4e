import { basename } from 'node:path';
import { TeamKbError } from '../errors.js';

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
  const trimmed = name.trim();
  const problem = kbNameProblem(trimmed);
  if (problem) throw new TeamKbError('KB_NAME_INVALID', problem, { details: { name } });
  return trimmed;
}

/** Most UTF-8 bytes of one name (folder or file); file systems allow 255, and temp suffixes need room. */
export const MAX_FILE_NAME_BYTES = 200;
/** Control characters (C0, DEL, C1) and the invisible marks that reorder text (bidi overrides, isolates, marks). */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const RESERVED = /[<>:"|?*]/g;

/**
 * A file name safe to store inside a KB folder and to show to people: Unicode NFC, no control or
 * direction-override characters (which can make "exe.txt" display as "txt.exe"), each part at most
 * 200 bytes with its extension kept. Keeps sub-folders, refuses traversal. The result is the name
 * users see everywhere afterwards.
 */
export function safeFileName(name: string): string {
  const parts = name
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\\/g, '/')
    .split('/')
    .map((part) => part.trim())
    .filter((p) => p && p !== '.' && p !== '..');
  const cleaned = parts.map((p) => shortenName(p.replace(RESERVED, '_'))).join('/');
  if (!cleaned) throw new TeamKbError('INVALID_INPUT', `"${basename(name)}" is not a usable file name.`);
  return cleaned;
}

/** Cuts a name to MAX_FILE_NAME_BYTES at a character boundary, keeping a short extension. */
export function shortenName(part: string): string {
  if (Buffer.byteLength(part) <= MAX_FILE_NAME_BYTES) return part;
  const dot = part.lastIndexOf('.');
  const extension = dot > 0 && part.length - dot <= 16 ? part.slice(dot) : '';
  const stem = part.slice(0, part.length - extension.length);
  // One byte stays free for the "~" that marks a shortened name.
  let budget = MAX_FILE_NAME_BYTES - Buffer.byteLength(extension) - 1;
  let kept = '';
  for (const char of stem) {
    budget -= Buffer.byteLength(char);
    if (budget < 0) break;
    kept += char;
  }
  return `${kept.trimEnd()}~${extension}`;
}
