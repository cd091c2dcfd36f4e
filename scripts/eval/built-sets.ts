import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLoaders } from '../../core/loaders/index.js';
import type { Passage, QaQuery, QaSet } from './dataset.js';

/**
 * QA sets built at eval time from public material in the shared fixtures, so defaults are chosen
 * on more than the two sets they could have been fitted to. Nothing here is stored in the project.
 *
 * - neardup_<set>: the set's passages plus, for each, a near-duplicate with the answer-bearing
 *   sentences removed (the distractor shares most words with question and passage, as news
 *   rewrites do). Only the original counts as a hit.
 * - english_docs: English prose (a LangChain paper, a DOCX demo text, licence and provenance notes)
 *   cut into ~400-character passages; each question is a keyword query made from one sentence of
 *   its passage (ten content words of it, a seeded third of them left out), the answer a
 *   4-word span of that sentence.
 * - mixed_zh_en: one KB holding a Chinese set's passages and the English ones, asked both ways.
 */

const sentenceEnd = /(?<=[。！？!?；;]|\.\s)/u;

function splitSentences(text: string): string[] {
  return text
    .split(sentenceEnd)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Near-duplicate distractors: each passage again without the sentences that hold an answer. */
export function nearDuplicateSet(base: QaSet): QaSet {
  const answersOf = new Map<string, string[]>();
  for (const q of base.queries) for (const id of q.positiveIds) answersOf.set(id, [...(answersOf.get(id) ?? []), ...q.answers]);
  const distractors: Passage[] = [];
  for (const p of base.passages) {
    const answers = answersOf.get(p.id) ?? [];
    const kept = splitSentences(p.text).filter((s) => !answers.some((a) => s.includes(a)));
    if (kept.length === 0 || kept.join('').length < p.text.length * 0.4) continue;
    distractors.push({ id: `${p.id}~dup`, title: p.title, text: kept.join('') });
  }
  return { name: `neardup_${base.name}`, dir: base.dir, passages: [...base.passages, ...distractors], queries: base.queries };
}

const STOP = new Set(
  'a an the of to in on for and or is are was were be been by with as at from that this these those it its which who what when where how can will may not no such other any all each into than then there their they we our you your if but so also more most use used using has have had do does'.split(
    ' ',
  ),
);

/** Deterministic 0..1 numbers (mulberry32), so a built set is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function pdfText(path: string): Promise<string> {
  const doc = await createLoaders({}).load({ name: 'paper.pdf', extension: 'pdf', bytes: readFileSync(path) });
  return doc.blocks.map((b) => b.text).join('\n');
}

/** English prose from the fixtures, page furniture removed, lines re-joined. */
async function englishText(fixtures: string): Promise<string[]> {
  const sources: string[] = [];
  const pdf = join(fixtures, 'docs/chatchat-samples/content/test_files/langchain.pdf');
  if (existsSync(pdf)) sources.push(await pdfText(pdf));
  for (const rel of [
    'docs/officeparser/expected/test.md.txt',
    'docs/LICENSES/Langchain-Chatchat-Apache-2.0.txt',
    'docs/PROVENANCE.md',
    'models/PROVENANCE.md',
  ]) {
    const path = join(fixtures, rel);
    if (existsSync(path)) sources.push(readFileSync(path, 'utf8'));
  }
  return sources.map((text) =>
    text
      .split('\n')
      .filter((line) => !/^\s*\d+\s*$/.test(line) && !/[\u3400-\u9fff]/u.test(line))
      .join(' ')
      .replace(/[`*#|>_[\]()]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

export async function englishDocsSet(fixtures: string): Promise<QaSet | undefined> {
  const texts = await englishText(fixtures);
  if (texts.length === 0) return undefined;
  const passages: Passage[] = [];
  texts.forEach((text, doc) => {
    let current = '';
    for (const sentence of splitSentences(text)) {
      current = current ? `${current} ${sentence}` : sentence;
      if (current.length >= 400) {
        passages.push({ id: `en${doc}_${passages.length}`, title: '', text: current });
        current = '';
      }
    }
    if (current.length > 120) passages.push({ id: `en${doc}_${passages.length}`, title: '', text: current });
  });
  const random = seeded(2024);
  const queries: QaQuery[] = [];
  for (const p of passages) {
    const words = (s: string) => s.split(/\s+/).filter((w) => /[a-z]/i.test(w));
    const sentence = splitSentences(p.text)
      .filter((s) => words(s).length >= 8)
      .sort((a, b) => words(b).length - words(a).length)[0];
    if (!sentence) continue;
    const all = words(sentence);
    const content = all.map((w) => w.replace(/[^A-Za-z0-9'-]/g, '')).filter((w) => w.length > 1 && !STOP.has(w.toLowerCase()));
    // A window of ten content words, a third of them left out: a short keyword question.
    const from = Math.floor(random() * Math.max(1, content.length - 10));
    const question = content
      .slice(from, from + 10)
      .filter(() => random() > 0.33)
      .join(' ');
    if (question.split(' ').length < 3) continue;
    const start = Math.floor(all.length / 2) - 2;
    queries.push({ id: `q_${p.id}`, question, answers: [all.slice(start, start + 4).join(' ')], positiveIds: [p.id] });
  }
  return { name: 'english_docs', dir: fixtures, passages, queries };
}

/** One KB with both corpora; every English question and the first `zhQueries` Chinese ones. */
export function mixedSet(zh: QaSet, en: QaSet, zhQueries = 300): QaSet {
  return {
    name: `mixed_${zh.name}_english`,
    dir: zh.dir,
    passages: [...zh.passages, ...en.passages],
    queries: [...zh.queries.slice(0, zhQueries), ...en.queries],
  };
}
