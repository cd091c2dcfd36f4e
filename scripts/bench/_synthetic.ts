import { createRequire } from 'node:module';

/**
 * Deterministic synthetic chunks for store benchmarks: clustered unit vectors (topics) and
 * mixed Chinese/English text whose words follow the same topics, so dense, BM25 and hybrid
 * searches all have real neighbours to find. Same seed, same data, on every machine.
 */
export interface SyntheticChunk {
  id: string;
  fileId: string;
  ordinal: number;
  text: string;
  vector: Float32Array;
}

export interface SyntheticQuery {
  text: string;
  vector: Float32Array;
  /** The chunk the query was drawn from. */
  sourceIndex: number;
}

/** mulberry32: small, fast, good enough for benchmark data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  return v;
}

function chineseWords(count: number): string[] {
  const require = createRequire(import.meta.url);
  const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
  const rows = Buffer.from(dict)
    .toString('utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((cells) => /^[\u4e00-\u9fff]{2,4}$/u.test(cells[0] ?? ''))
    .map((cells) => ({ word: cells[0] as string, freq: Number(cells[1]) }));
  rows.sort((a, b) => b.freq - a.freq || (a.word < b.word ? -1 : 1));
  return rows.slice(0, count).map((r) => r.word);
}

function englishWords(count: number, random: () => number): string[] {
  const onsets = ['b', 'c', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'st', 'tr', 'pl', 'cl'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou'];
  const words = new Set<string>();
  while (words.size < count) {
    const syllables = 2 + Math.floor(random() * 2);
    let word = '';
    for (let s = 0; s < syllables; s++) {
      word += onsets[Math.floor(random() * onsets.length)];
      word += vowels[Math.floor(random() * vowels.length)];
    }
    words.add(word);
  }
  return [...words];
}

export interface SyntheticCorpus {
  dim: number;
  chunk(index: number): SyntheticChunk;
  query(index: number): SyntheticQuery;
}

/** Chunk i is generated from (seed, i) alone, so corpora of any size share their first chunks. */
export function syntheticCorpus(opts: { size: number; dim: number; seed?: number; topics?: number }): SyntheticCorpus {
  const seed = opts.seed ?? 42;
  const random = prng(seed);
  const topicCount = opts.topics ?? Math.max(16, Math.round(Math.sqrt(opts.size)));
  const zh = chineseWords(6000);
  const en = englishWords(2000, random);
  const centroids = Array.from({ length: topicCount }, () =>
    normalise(Float32Array.from({ length: opts.dim }, () => gaussian(random))),
  );
  const wordOf = (topic: number, r: () => number, english: boolean): string => {
    const pool = english ? en : zh;
    // Zipf-like: most words from a topic's own slice of the vocabulary, some from everywhere.
    const local = r() < 0.6;
    const rank = Math.floor(pool.length * r() ** 3);
    const offset = local ? (topic * 97) % pool.length : 0;
    return pool[(offset + (local ? rank % 300 : rank)) % pool.length] as string;
  };

  const chunk = (index: number): SyntheticChunk => {
    const r = prng(seed * 7919 + index);
    const topic = Math.floor(r() * topicCount);
    const centroid = centroids[topic] as Float32Array;
    const vector = new Float32Array(opts.dim);
    for (let d = 0; d < opts.dim; d++) vector[d] = (centroid[d] as number) + 0.08 * gaussian(r);
    const words = 20 + Math.floor(r() * 30);
    let text = '';
    for (let w = 0; w < words; w++) {
      const english = r() < 0.2;
      const word = wordOf(topic, r, english);
      text += english ? ` ${word} ` : word;
      if (r() < 0.08) text += '，';
    }
    return {
      id: `c${index}`,
      fileId: `f${Math.floor(index / 20)}`,
      ordinal: index % 20,
      text: `${text.trim()}。`,
      vector: normalise(vector),
    };
  };

  const query = (index: number): SyntheticQuery => {
    const r = prng(seed * 104729 + index);
    const sourceIndex = Math.floor(r() * opts.size);
    const source = chunk(sourceIndex);
    const pieces = source.text.split(/[\s，。]+/u).filter((p) => p.length > 0);
    const start = Math.floor(r() * Math.max(1, pieces.length - 2));
    const text = pieces
      .slice(start, start + 2)
      .join(' ')
      .slice(0, 24);
    const vector = new Float32Array(opts.dim);
    for (let d = 0; d < opts.dim; d++) vector[d] = (source.vector[d] as number) + 0.03 * gaussian(r);
    return { text, vector: normalise(vector), sourceIndex };
  };

  return { dim: opts.dim, chunk, query };
}
