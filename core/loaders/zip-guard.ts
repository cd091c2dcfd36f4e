import type { SourceFile } from '../documents.js';
import { fileError } from './failures.js';
import { countInflated } from './inflated-size.js';
import { entryData, readZipDirectory, type ZipEntry } from './zip.js';

export interface ZipLimits {
  maxEntries: number;
  maxInflatedBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxInflatedBytes: 256 * 1024 * 1024 };

/** Deflate cannot exceed ~1032:1; legitimate documents stay far below this for entries this big. */
const BOMB_RATIO = 500;
const BOMB_MIN_BYTES = 10 * 1024 * 1024;

/**
 * Refuses archives that would exhaust memory before any parser touches them: too many entries, too
 * much declared content, near-maximal compression (a zip bomb), or entries that inflate past what
 * they declare. Returns the directory for callers that need it.
 */
export async function assertZipWithinLimits(file: SourceFile, limits: ZipLimits, signal?: AbortSignal): Promise<ZipEntry[]> {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(file.bytes);
  } catch (err) {
    throw fileError('FILE_CORRUPT', file, `not a readable archive: ${(err as Error).message}`, err);
  }
  if (entries.length > limits.maxEntries) {
    throw fileError(
      'FILE_TOO_LARGE',
      file,
      `the archive holds ${entries.length.toLocaleString('en')} entries, over the limit of ${limits.maxEntries.toLocaleString('en')} (kb.limits.archiveMaxEntries)`,
    );
  }
  const declared = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (declared > limits.maxInflatedBytes) throw tooLarge(file, declared, limits);

  // Many mid-size entries add up like one big one: the ratio is checked over the whole archive too.
  const compressed = entries.reduce((sum, entry) => sum + entry.compressedSize, 0);
  if (declared >= BOMB_MIN_BYTES && declared > Math.max(1, compressed) * BOMB_RATIO) {
    const ratio = Math.round(declared / Math.max(1, compressed));
    throw fileError(
      'FILE_CORRUPT',
      file,
      `refused as a likely zip bomb: its entries expand ${ratio}:1 to ${formatBytes(declared)}`,
    );
  }
  for (const entry of entries) {
    if (entry.size >= BOMB_MIN_BYTES && entry.size > entry.compressedSize * BOMB_RATIO) {
      const ratio = Math.round(entry.size / Math.max(1, entry.compressedSize));
      throw fileError(
        'FILE_CORRUPT',
        file,
        `refused as a likely zip bomb: ${entry.name} expands ${ratio}:1 to ${formatBytes(entry.size)}`,
      );
    }
  }
  for (const entry of entries) {
    if (signal?.aborted) throw fileError('CANCELLED', file, 'loading was cancelled');
    await assertEntryInflatesAsDeclared(file, entry);
  }
  return entries;
}

async function assertEntryInflatesAsDeclared(file: SourceFile, entry: ZipEntry): Promise<void> {
  if (entry.method !== 8) return; // stored entries are their own size; other methods are left to the parser
  let data: Buffer;
  try {
    data = entryData(file.bytes, entry);
  } catch (err) {
    throw fileError('FILE_CORRUPT', file, `not a readable archive: ${(err as Error).message}`, err);
  }
  const actual = await inflatedSize(data, entry.size);
  if (actual === 'invalid')
    throw fileError('FILE_CORRUPT', file, `the archive is damaged (${entry.name} cannot be decompressed)`);
  if (actual > entry.size) {
    throw fileError(
      'FILE_CORRUPT',
      file,
      `refused: ${entry.name} expands beyond the size its archive declares (a zip bomb pattern)`,
    );
  }
}

/** Inflated bytes of one entry, stopping once past `cap`. */
async function inflatedSize(data: Buffer, cap: number): Promise<number | 'invalid'> {
  const { total, failed } = await countInflated(data, cap, 'raw');
  // A truncated final entry is common in damaged uploads; an entry that already produced its declared size is fine.
  if (failed) return total >= cap && cap > 0 ? total : 'invalid';
  return total;
}

function tooLarge(file: SourceFile, bytes: number, limits: ZipLimits) {
  return fileError(
    'FILE_TOO_LARGE',
    file,
    `the archive expands to ${formatBytes(bytes)}, over the limit of ${formatBytes(limits.maxInflatedBytes)} (kb.limits.archiveMaxInflatedBytes)`,
  );
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
