import { type CatalogEntry, loadCatalog } from './catalog.js';
import { invalidSpec, type SpecRole } from './spec.js';

const NAMES: Record<SpecRole, { plural: string; article: string }> = {
  embedder: { plural: 'embedders', article: 'an embedder' },
  llm: { plural: 'LLMs', article: 'an LLM' },
  reranker: { plural: 'rerankers', article: 'a reranker' },
};

/** The catalog entry a spec names, refused (naming the setting) when unknown or of another kind. */
export function catalogEntryFor(name: string, spec: string, role: SpecRole, catalogPath?: string): CatalogEntry {
  const catalog = loadCatalog(catalogPath);
  const entry = catalog.models.find((m) => m.name === name);
  const { plural, article } = NAMES[role];
  if (!entry) {
    const sameKind = catalog.models.filter((m) => m.kind === role).map((m) => m.name);
    throw invalidSpec(role, spec, `no catalog model named "${name}"; catalog ${plural}: ${sameKind.join(', ')}`);
  }
  if (entry.kind !== role) throw invalidSpec(role, spec, `"${name}" is a catalog ${entry.kind}, not ${article}`);
  return entry;
}
