import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { APP_ROOT } from '../../core/app-root.js';
import { TeamKbError } from '../../core/errors.js';

export const DEFAULT_CATALOG_PATH = join(APP_ROOT, 'models', 'catalog.yaml');

const catalogFileSchema = z
  .object({
    /** Where the file goes inside <modelsDir>/<entry name>/. */
    path: z.string().min(1),
    url: z.url(),
    /** null where no published hash could be verified: the downloader then warns instead of checking. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
  })
  .strict();

const catalogEntrySchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/),
    kind: z.enum(['llm', 'embedder', 'reranker']),
    runtime: z.enum(['llama', 'transformers']),
    /** llm: cpu | gpu default; embedder: any (the default embedder). */
    default: z.enum(['cpu', 'gpu', 'any']).optional(),
    /** Approximate download size, as published. */
    size: z.string().min(1),
    licence: z.string().min(1),
    /** Upstream page the facts were taken from. */
    source: z.url(),
    notes: z.string().optional(),
    files: z.array(catalogFileSchema).min(1),
  })
  .strict();

const catalogSchema = z.object({ models: z.array(catalogEntrySchema).min(1) }).strict();

export type CatalogFile = z.infer<typeof catalogFileSchema>;
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
export type ModelCatalog = z.infer<typeof catalogSchema>;

const cache = new Map<string, ModelCatalog>();

/** Reads and validates models/catalog.yaml (cached per path). */
export function loadCatalog(path = DEFAULT_CATALOG_PATH): ModelCatalog {
  const cached = cache.get(path);
  if (cached) return cached;
  if (!existsSync(path)) throw new TeamKbError('CONFIG_INVALID', `Model catalog ${path} not found`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new TeamKbError('CONFIG_INVALID', `${path}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const result = catalogSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TeamKbError('CONFIG_INVALID', `${path}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const names = new Set<string>();
  for (const entry of result.data.models) {
    if (names.has(entry.name)) throw new TeamKbError('CONFIG_INVALID', `${path}: model "${entry.name}" is listed twice`);
    names.add(entry.name);
  }
  cache.set(path, result.data);
  return result.data;
}

export function findCatalogEntry(catalog: ModelCatalog, name: string): CatalogEntry | undefined {
  return catalog.models.find((m) => m.name === name);
}

export function defaultCatalogEntry(catalog: ModelCatalog, kind: 'llm-cpu' | 'llm-gpu' | 'embedder'): CatalogEntry | undefined {
  if (kind === 'embedder') return catalog.models.find((m) => m.kind === 'embedder' && m.default === 'any');
  const want = kind === 'llm-gpu' ? 'gpu' : 'cpu';
  return catalog.models.find((m) => m.kind === 'llm' && m.default === want);
}

/** <modelsDir>/<entry name> */
export function catalogEntryDir(modelsDir: string, entry: CatalogEntry): string {
  return join(modelsDir, entry.name);
}

/** What a runtime loads: the first GGUF file for llama, the folder for transformers. */
export function catalogEntryLoadPath(modelsDir: string, entry: CatalogEntry): string {
  const dir = catalogEntryDir(modelsDir, entry);
  if (entry.runtime === 'transformers') return dir;
  const first = entry.files.find((f) => f.path.endsWith('.gguf')) ?? entry.files[0];
  return join(dir, (first as CatalogFile).path);
}

export function isCatalogEntryPresent(modelsDir: string, entry: CatalogEntry): boolean {
  const dir = catalogEntryDir(modelsDir, entry);
  return entry.files.every((f) => existsSync(join(dir, f.path)));
}

/** One line per file: what to download and where it goes. */
export function describeManualDownload(modelsDir: string, entry: CatalogEntry): string {
  const dir = catalogEntryDir(modelsDir, entry);
  return entry.files.map((f) => `${f.url} -> ${join(dir, f.path)}`).join('; ');
}
