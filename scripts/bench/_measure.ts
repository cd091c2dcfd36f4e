import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { VectorStore } from '../../core/vector-store.js';
import type { SyntheticCorpus } from './_synthetic.js';
import { percentile } from './harness.js';

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  /** Share of queries whose source chunk came back (a sanity check, not a quality figure). */
  found: number;
}

/** Runs `task` once per query (after a few warm-up calls) and returns latency percentiles in ms. */
export async function measure(queries: number, task: (i: number) => Promise<boolean>): Promise<Latency> {
  for (let i = 0; i < Math.min(5, queries); i++) await task(i);
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < queries; i++) {
    const started = performance.now();
    if (await task(i)) found++;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), found: found / queries };
}

export function dirSize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? dirSize(full) : statSync(full).size;
  }
  return total;
}

/** Upserts chunks [0, size) in batches, like ingestion does; returns the elapsed ms. */
export async function fill(store: VectorStore, kb: string, corpus: SyntheticCorpus, size: number, batch = 2000): Promise<number> {
  const started = performance.now();
  for (let start = 0; start < size; start += batch) {
    const chunks = [];
    for (let i = start; i < Math.min(size, start + batch); i++) {
      const c = corpus.chunk(i);
      chunks.push({
        id: c.id,
        fileId: c.fileId,
        ordinal: c.ordinal,
        text: c.text,
        meta: { source: `${c.fileId}.md` },
        vector: c.vector,
      });
    }
    await store.upsert(kb, chunks);
  }
  return performance.now() - started;
}

export function sizeLabel(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
}
