import { TeamKbError } from '../../core/errors.js';
import type { VectorStore } from '../../core/vector-store.js';

export interface MigrationProgress {
  copied: number;
  total: number;
}

/**
 * Copies every chunk of one KB from one store to another with its stored vectors (no
 * re-embedding), then checks the target holds exactly as many chunks as the source.
 */
export async function migrateKb(
  from: VectorStore,
  to: VectorStore,
  kb: string,
  dim: number | null,
  onProgress?: (progress: MigrationProgress) => void,
  batchSize = 500,
): Promise<{ copied: number }> {
  const total = await from.count(kb);
  await to.ensure(kb, dim);
  let copied = 0;
  for await (const batch of from.scan(kb, batchSize)) {
    await to.upsert(kb, dim === null ? batch.map(({ vector: _vector, ...chunk }) => chunk) : batch);
    copied += batch.length;
    onProgress?.({ copied, total });
  }
  const landed = await to.count(kb);
  if (copied !== total || landed !== total) {
    throw new TeamKbError(
      'INTERNAL',
      `Migrating knowledge base "${kb}" from ${from.id} to ${to.id} copied ${copied} of ${total} chunks and the target holds ${landed}: run the migration again.`,
      { details: { kb, total, copied, landed } },
    );
  }
  return { copied };
}
