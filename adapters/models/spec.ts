import { TeamKbError } from '../../core/errors.js';

/** A parsed TEAMKB_EMBEDDER / TEAMKB_LLM / TEAMKB_RERANKER value. */
export type ModelSpec =
  | { kind: 'none' }
  | { kind: 'fake'; dim?: number }
  | { kind: 'transformers'; target: string }
  | { kind: 'llama'; target: string }
  | { kind: 'openai'; model: string; baseUrl: string }
  | { kind: 'catalog'; name: string };

export type SpecRole = 'embedder' | 'llm' | 'reranker';

const ROLE_KEYS: Record<SpecRole, string> = {
  embedder: 'TEAMKB_EMBEDDER (model.embedder)',
  llm: 'TEAMKB_LLM (model.llms)',
  reranker: 'TEAMKB_RERANKER (model.reranker)',
};

const ACCEPTED: Record<SpecRole, string> = {
  embedder: 'transformers:<model id or dir>, llama:<file.gguf>, openai:<model>@<base url>, fake[:dim], none, or a catalog name',
  llm: 'llama:<file.gguf or catalog name>, openai:<model>@<base url>, fake, none, or a catalog name',
  reranker: 'transformers:<model id or dir>, fake, none, or a catalog name',
};

const CATALOG_NAME = /^[A-Za-z0-9][\w.-]*$/;
const OPENAI = /^openai:(.+?)@(https?:\/\/.+)$/;

export function invalidSpec(role: SpecRole, spec: string, why?: string): TeamKbError {
  const reason = why ? ` (${why})` : '';
  return new TeamKbError(
    'CONFIG_INVALID',
    `${ROLE_KEYS[role]} "${spec}" is not a valid ${role} setting${reason}; use ${ACCEPTED[role]}`,
    { details: { key: ROLE_KEYS[role], spec } },
  );
}

/** Parses a model spec string; throws CONFIG_INVALID naming the setting and the accepted forms. */
export function parseModelSpec(raw: string, role: SpecRole): ModelSpec {
  const spec = raw.trim();
  if (spec === '' || spec === 'none') return { kind: 'none' };
  if (spec === 'fake') return { kind: 'fake' };
  if (spec.startsWith('fake:')) {
    const dim = Number(spec.slice(5));
    if (role !== 'embedder' || !Number.isInteger(dim) || dim < 2 || dim > 8192) {
      throw invalidSpec(role, raw, role === 'embedder' ? 'fake dimension must be a whole number from 2 to 8192' : undefined);
    }
    return { kind: 'fake', dim };
  }
  if (role === 'reranker' && (spec.startsWith('openai:') || spec.startsWith('llama:'))) {
    throw invalidSpec(role, raw, 'rerankers run on transformers only');
  }
  if (spec.startsWith('openai:')) {
    const match = OPENAI.exec(spec);
    if (!match) throw invalidSpec(role, raw, 'expected openai:<model>@<http(s) base url>');
    const [, model, baseUrl] = match as unknown as [string, string, string];
    try {
      new URL(baseUrl);
    } catch {
      throw invalidSpec(role, raw, `"${baseUrl}" is not a URL`);
    }
    return { kind: 'openai', model: model.trim(), baseUrl };
  }
  for (const kind of ['transformers', 'llama'] as const) {
    if (!spec.startsWith(`${kind}:`)) continue;
    if (kind === 'transformers' && role === 'llm') throw invalidSpec(role, raw, 'transformers models cannot be used as the LLM');
    const target = spec.slice(kind.length + 1).trim();
    if (target === '') throw invalidSpec(role, raw, `nothing after "${kind}:"`);
    return { kind, target };
  }
  if (CATALOG_NAME.test(spec) && !spec.includes(':')) return { kind: 'catalog', name: spec };
  throw invalidSpec(role, raw);
}
