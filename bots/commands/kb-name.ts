import { kbNameProblem, validateKbName } from '../../core/kb/names.js';

export { kbNameProblem };

/** Prefix of the per-conversation knowledge bases that hold files shared in a chat. */
export const TEMP_KB_PREFIX = 'tmp-';

export function isTempKbName(name: string): boolean {
  return name.startsWith(TEMP_KB_PREFIX);
}

export function assertKbName(name: string): void {
  validateKbName(name);
}
