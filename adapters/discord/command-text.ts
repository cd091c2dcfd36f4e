import type { CommandSpec } from '../../core/chat.js';
import { discordName } from './command-definition.js';

/** One option value as Discord delivered it (attachments travel separately as FileRefs). */
export interface ReceivedOption {
  name: string;
  value?: string | number | boolean;
}

/**
 * Turns `/kb <subcommand>` and its options back into the runtime's text grammar, in the order the
 * grammar declares them: `ask handbook "how do I rotate the key?"`. Flags become `--name`.
 */
export function commandText(subcommand: string, received: ReceivedOption[], specs: CommandSpec[]): string {
  const spec = specs.find((s) => discordName(s.name) === subcommand);
  const byName = new Map(received.map((o) => [o.name, o.value]));
  const words: string[] = [spec?.name ?? subcommand];
  const declared = spec?.options ?? received.map((o) => ({ name: o.name, kind: 'text' as const }));
  for (const o of declared) {
    const value = byName.get(discordName(o.name));
    if (value === undefined || o.kind === 'file') continue;
    if (o.kind === 'flag') {
      if (value === true) words.push(`--${o.name}`);
      continue;
    }
    words.push(quoteWord(String(value)));
  }
  return words.join(' ');
}

/** Quote pairs the runtime's tokenizer understands: opening character → the characters that close it. */
const QUOTES: [string, string][] = [
  ['"', '"”“'],
  ['「', '」'],
  ['『', '』'],
  ["'", "'’‘"],
];
const OPENERS = '"“”\'‘’「『';

/**
 * Quotes a value holding spaces (or one that would read as a flag or a quote) so the grammar takes
 * it as one argument. The tokenizer has no escapes, so the quote chosen is one the value does not contain.
 */
export function quoteWord(value: string): string {
  const plain = value !== '' && !/\s/u.test(value) && !OPENERS.includes(value[0] as string) && !value.startsWith('--');
  if (plain) return value;
  for (const [open, closers] of QUOTES) {
    if (![...closers].some((ch) => value.includes(ch))) return `${open}${value}${closers[0]}`;
  }
  return value;
}
