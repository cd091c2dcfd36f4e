import type { Chunk } from '../chunk.js';
import { TeamKbError } from '../errors.js';
import type { KbVisibility, KnowledgeBase, Registry } from '../registry.js';
import type { VectorStore } from '../vector-store.js';
import { collidingKbName, kbNameKey, normalizeKbName } from './name-lookalikes.js';
import { kbNameProblem } from './names.js';

/** Why a name cannot be used when a KB by that name (or a lookalike) exists. */
export function kbNameClash(name: string, existing: string): string {
  return kbNameKey(name) === kbNameKey(existing)
    ? `Knowledge base "${existing}" already exists (names ignore case and character width).`
    : `"${name}" looks the same as the existing knowledge base "${existing}" (letters from another script); pick a clearly different name.`;
}

/**
 * What creating a KB with this name would say, before trying: the same rule and words as
 * createKb (characters, length, first character, names taken or lookalikes). Undefined: fine.
 */
export function kbNameCheck(registry: Registry, raw: string): string | undefined {
  const name = normalizeKbName(raw);
  const problem = kbNameProblem(name);
  if (problem) return problem;
  const clash = collidingKbName(
    name,
    registry.listKbs().map((k) => k.name),
  );
  return clash === undefined ? undefined : kbNameClash(name, clash);
}

/** Changes a KB's description or visibility; returns the KB as it is now. */
export function updateKbSettings(
  registry: Registry,
  name: string,
  patch: { description?: string; visibility?: KbVisibility },
): KnowledgeBase {
  const clean: typeof patch = {};
  if (patch.description !== undefined) clean.description = patch.description.trim();
  if (patch.visibility !== undefined) clean.visibility = patch.visibility;
  registry.updateKb(name, clean);
  return registry.getKb(name) as KnowledgeBase;
}

export interface ChunkPage {
  file: string;
  total: number;
  offset: number;
  chunks: Chunk[];
}

/** One page of a file's chunks in reading order (text, page, heading path), for the chunk browser. */
export async function fileChunks(
  registry: Registry,
  store: VectorStore,
  kb: string,
  fileName: string,
  offset: number,
  limit: number,
): Promise<ChunkPage> {
  const file = registry.getFile(kb, fileName);
  if (!file) throw new TeamKbError('FILE_NOT_FOUND', `File "${fileName}" is not in knowledge base "${kb}".`);
  const total = file.chunks;
  const ordinals = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
  if (!store.chunksAt || ordinals.length === 0) return { file: file.name, total, offset, chunks: [] };
  const chunks = await store.chunksAt(kb, file.id, ordinals);
  return { file: file.name, total, offset, chunks: chunks.sort((a, b) => a.ordinal - b.ordinal) };
}
