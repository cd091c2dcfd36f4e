import type { CommandSpec } from '../../core/chat.js';

/**
 * `kb`: one knowledge-base name. `word`: one argument. `text`: the rest of the line.
 * `file`: attachments sent with the command (never read from the text).
 */
export type ParamKind = 'kb' | 'word' | 'text' | 'file';

export interface ParamDef {
  name: string;
  kind: ParamKind;
  required: boolean;
  description: string;
}

export interface FlagDef {
  name: string;
  description: string;
}

export interface CommandDef {
  name: string;
  description: string;
  params: ParamDef[];
  flags: FlagDef[];
  adminOnly: boolean;
  aliases?: string[];
}

const kb = (description = 'Knowledge base name'): ParamDef => ({ name: 'kb', kind: 'kb', required: true, description });

/** The whole `/kb` grammar. Parser, help text and native command registration all derive from it. */
export const GRAMMAR = [
  { name: 'help', description: 'Show this help', params: [], flags: [], adminOnly: false, aliases: ['?', '帮助'] },
  {
    name: 'list',
    description: 'List the knowledge bases available here',
    params: [],
    flags: [],
    adminOnly: false,
    aliases: ['ls'],
  },
  { name: 'files', description: 'List the files of a knowledge base', params: [kb()], flags: [], adminOnly: false },
  {
    name: 'use',
    description: 'Answer questions in this channel from a knowledge base',
    params: [kb()],
    flags: [],
    adminOnly: false,
  },
  { name: 'unuse', description: 'Stop answering from the bound knowledge base here', params: [], flags: [], adminOnly: false },
  {
    name: 'search',
    description: 'Show the best matching passages with scores (no AI answer)',
    params: [
      { name: 'kb', kind: 'kb', required: false, description: 'Knowledge base (default: the one used here)' },
      { name: 'query', kind: 'text', required: true, description: 'What to look for' },
    ],
    flags: [],
    adminOnly: false,
  },
  {
    name: 'ask',
    description: 'Ask a knowledge base a question',
    params: [kb(), { name: 'question', kind: 'text', required: true, description: 'Your question' }],
    flags: [],
    adminOnly: false,
  },
  {
    name: 'agent',
    description: 'Let the AI search the knowledge bases (and the web) step by step, then answer with citations',
    params: [{ name: 'question', kind: 'text', required: true, description: 'Your question' }],
    flags: [],
    adminOnly: false,
  },
  {
    name: 'web',
    description: 'Answer from a web search, with links; alone: a sign-in link for the web console',
    params: [{ name: 'question', kind: 'text', required: false, description: 'Your question' }],
    flags: [],
    adminOnly: false,
  },
  {
    name: 'login',
    description: 'Get a one-time link (sent only to you) that signs you in to the web console',
    params: [],
    flags: [{ name: 'logout', description: 'Sign out every web session of yours instead' }],
    adminOnly: false,
    aliases: ['signin', '登录'],
  },
  {
    name: 'create',
    description: 'Create a knowledge base',
    params: [
      kb('Name of the new knowledge base'),
      { name: 'description', kind: 'text', required: false, description: 'What it holds' },
    ],
    flags: [{ name: 'private', description: 'Only this channel may use it' }],
    adminOnly: true,
  },
  {
    name: 'upload',
    description: 'Add the attached files to a knowledge base',
    params: [kb(), { name: 'file', kind: 'file', required: false, description: 'Files to add' }],
    flags: [],
    adminOnly: true,
  },
  {
    name: 'remove',
    description: 'Remove a file from a knowledge base',
    params: [kb(), { name: 'file', kind: 'text', required: true, description: 'File name as listed by files' }],
    flags: [],
    adminOnly: true,
    aliases: ['rm'],
  },
  { name: 'reindex', description: 'Rebuild a knowledge base from its files', params: [kb()], flags: [], adminOnly: true },
  {
    name: 'delete',
    description: 'Delete a knowledge base (asks to confirm)',
    params: [kb()],
    flags: [{ name: 'yes', description: 'Delete without asking' }],
    adminOnly: true,
  },
  { name: 'reset', description: 'Forget this conversation’s history and shared files', params: [], flags: [], adminOnly: false },
  {
    name: 'model',
    description: 'Show or switch the AI model of this conversation',
    params: [{ name: 'name', kind: 'word', required: false, description: 'Model name' }],
    flags: [],
    adminOnly: false,
  },
  { name: 'status', description: 'Show models, queue and running jobs', params: [], flags: [], adminOnly: false },
  {
    name: 'cancel',
    description: 'Cancel an upload still waiting in the queue',
    params: [{ name: 'job', kind: 'word', required: true, description: 'Job id as /kb status shows it' }],
    flags: [],
    adminOnly: true,
  },
] as const satisfies readonly CommandDef[];

export type CommandName = (typeof GRAMMAR)[number]['name'];

export function findCommand(word: string): CommandDef | undefined {
  const w = word.toLowerCase();
  return (GRAMMAR as readonly CommandDef[]).find((c) => c.name === w || c.aliases?.includes(w));
}

function paramUsage(p: ParamDef): string {
  if (p.kind === 'file') return '(attach files)';
  return p.required ? `<${p.name}>` : `[${p.name}]`;
}

/** e.g. `delete <kb> [--yes]` */
export function usageOf(def: CommandDef): string {
  return [def.name, ...def.params.map(paramUsage), ...def.flags.map((f) => `[--${f.name}]`)].join(' ');
}

/** The grammar as `CommandSpec`s, for help and native command registration. */
export function commandSpecs(): CommandSpec[] {
  return (GRAMMAR as readonly CommandDef[]).map((def) => ({
    name: def.name,
    usage: usageOf(def),
    description: def.description,
    adminOnly: def.adminOnly,
    options: [
      ...def.params.map((p) => ({
        name: p.name,
        description: p.description,
        kind: p.kind === 'kb' ? ('kb' as const) : p.kind === 'file' ? ('file' as const) : ('text' as const),
        required: p.required,
      })),
      ...def.flags.map((f) => ({ name: f.name, description: f.description, kind: 'flag' as const, required: false })),
    ],
  }));
}

/** Markdown help, one line per command. */
export function helpText(): string {
  const lines = (GRAMMAR as readonly CommandDef[]).map(
    (def) => `• \`/kb ${usageOf(def)}\` — ${def.description}${def.adminOnly ? ' _(admins)_' : ''}`,
  );
  return [
    '**TeamKB commands**',
    ...lines,
    '',
    'Mention me with a question to get an answer from the knowledge base used here; attach files to ask about them.',
    'Quote arguments with spaces: `/kb ask handbook "how do I rotate the VPN key?"`',
  ].join('\n');
}
