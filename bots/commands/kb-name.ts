import { TeamKbError } from '../../core/errors.js';

/** Letters of any script (CJK included) with their combining marks, digits, "-", "_" and ".". */
const KB_NAME_CHARS = /^[\p{L}\p{M}\p{N}_.-]+$/u;
const MAX_KB_NAME = 64;

/** Prefix of the per-conversation knowledge bases that hold files shared in a chat. */
export const TEMP_KB_PREFIX = 'tmp-';

export function isTempKbName(name: string): boolean {
  return name.startsWith(TEMP_KB_PREFIX);
}

/** Why a knowledge-base name is unusable, or undefined when it is fine. */
export function kbNameProblem(name: string): string | undefined {
  const length = [...name].length;
  const rule = `use 1–${MAX_KB_NAME} letters (any language), digits, "-", "_" or "."`;
  if (length === 0) return `A knowledge base name is required: ${rule}.`;
  if (length > MAX_KB_NAME) return `Knowledge base name "${name.slice(0, 20)}…" is too long (${length} characters): ${rule}.`;
  if (!KB_NAME_CHARS.test(name)) return `"${name}" is not a valid knowledge base name: ${rule}.`;
  if (name.startsWith('.')) return `"${name}" is not a valid knowledge base name: it must not start with ".".`;
  return undefined;
}

export function assertKbName(name: string): void {
  const problem = kbNameProblem(name);
  if (problem) throw new TeamKbError('KB_NAME_INVALID', problem, { details: { name } });
}
