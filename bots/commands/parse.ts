import { closest } from './edit-distance.js';
import { type CommandDef, type CommandName, findCommand, GRAMMAR, usageOf } from './grammar.js';
import { kbNameProblem } from './kb-name.js';
import { flagName, type Token, tokenize } from './tokenize.js';

/** A parsed `/kb` command. Field names are the grammar's parameter and flag names. */
export type Command =
  | { name: 'help' }
  | { name: 'list' }
  | { name: 'files'; kb: string }
  | { name: 'use'; kb: string }
  | { name: 'unuse' }
  | { name: 'search'; kb?: string; query: string }
  | { name: 'ask'; kb: string; question: string }
  | { name: 'web'; question?: string }
  | { name: 'login'; logout: boolean }
  | { name: 'agent'; question: string }
  | { name: 'create'; kb: string; description?: string; private: boolean }
  | { name: 'upload'; kb: string }
  | { name: 'remove'; kb: string; file: string }
  | { name: 'reindex'; kb: string }
  | { name: 'delete'; kb: string; yes: boolean }
  | { name: 'reset' }
  | { name: 'model'; model?: string }
  | { name: 'status' }
  | { name: 'cancel'; job: string };

export type ParseResult =
  | { ok: true; command: Command }
  /** `message` says what is wrong; `usage` is the usage line of the intended (or closest) command. */
  | { ok: false; message: string; usage: string };

export interface ParseOptions {
  /** Whether a word names an existing knowledge base (resolves optional `[kb]` arguments). */
  isKb?: (name: string) => boolean;
}

type Values = Record<string, string | boolean | undefined>;

function fail(def: CommandDef, message: string): ParseResult {
  return { ok: false, message, usage: `/kb ${usageOf(def)}` };
}

/** Separates the flags the command knows; other `--x` words stay text (a question may contain them). */
function splitFlags(def: CommandDef, tokens: Token[]): { rest: Token[]; flags: Set<string>; unknown?: string } {
  const flags = new Set<string>();
  const rest: Token[] = [];
  const takesText = def.params.some((p) => p.kind === 'text');
  for (const token of tokens) {
    const flag = flagName(token);
    if (flag && def.flags.some((f) => f.name === flag)) flags.add(flag);
    else if (flag && !takesText) return { rest, flags, unknown: token.value };
    else rest.push(token);
  }
  return { rest, flags };
}

/** An optional `[kb]` takes the next word only when that word names a KB and more words follow. */
function takesOptionalKb(tokens: Token[], index: number, opts: ParseOptions): boolean {
  const token = tokens[index];
  return token !== undefined && !token.quoted && index + 1 < tokens.length && (opts.isKb?.(token.value) ?? false);
}

function bindParams(def: CommandDef, tokens: Token[], opts: ParseOptions): Values | string {
  const values: Values = {};
  let i = 0;
  for (const param of def.params) {
    if (param.kind === 'file') continue;
    if (param.kind === 'text') {
      const text = tokens
        .slice(i)
        .map((t) => t.value)
        .join(' ')
        .trim();
      i = tokens.length;
      if (text) values[param.name] = text;
      else if (param.required) return `Missing <${param.name}>.`;
      continue;
    }
    if (param.kind === 'kb' && !param.required && !takesOptionalKb(tokens, i, opts)) continue;
    const token = tokens[i];
    if (!token) {
      if (param.required) return `Missing <${param.name}>.`;
      continue;
    }
    if (param.kind === 'kb') {
      const problem = kbNameProblem(token.value);
      if (problem) return problem;
    }
    values[param.name] = token.value;
    i++;
  }
  const extra = tokens[i];
  if (extra) return `Unexpected "${extra.value}".`;
  return values;
}

/** Parses everything after `/kb`. Never throws: malformed input yields the closest usage line. */
export function parseCommand(text: string, opts: ParseOptions = {}): ParseResult {
  const [head, ...tokens] = tokenize(text);
  if (!head) return { ok: true, command: { name: 'help' } };
  const def = findCommand(head.value);
  if (!def) {
    const near = closest(head.value, GRAMMAR as readonly CommandDef[], (c) => [c.name, ...(c.aliases ?? [])]) as CommandDef;
    return fail(near, `Unknown command "${head.value}". Did you mean \`/kb ${near.name}\`?`);
  }
  const { rest, flags, unknown } = splitFlags(def, tokens);
  if (unknown) return fail(def, `Unknown option "${unknown}".`);
  const bound = bindParams(def, rest, opts);
  if (typeof bound === 'string') return fail(def, bound);
  for (const flag of def.flags) bound[flag.name] = flags.has(flag.name);
  // `model [name]`: the model's name would clash with the command's own `name` field.
  if (def.name === 'model') return { ok: true, command: { name: 'model', model: bound.name as string | undefined } };
  return { ok: true, command: { ...bound, name: def.name as CommandName } as Command };
}
