import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TeamKbError } from '../../core/errors.js';

/** One passage of a QA set (corpus.jsonl line). */
export interface Passage {
  id: string;
  title: string;
  text: string;
}

/** One question of a QA set (queries.jsonl line). */
export interface QaQuery {
  id: string;
  question: string;
  answers: string[];
  positiveIds: string[];
}

export interface QaSet {
  /** Folder name, e.g. "cmrc2018_trial". */
  name: string;
  dir: string;
  passages: Passage[];
  queries: QaQuery[];
}

function readJsonl(path: string): unknown[] {
  const rows: unknown[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (!line.trim()) return;
      try {
        rows.push(JSON.parse(line));
      } catch {
        throw new TeamKbError('INVALID_INPUT', `${path}: line ${index + 1} is not valid JSON.`);
      }
    });
  return rows;
}

const asString = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : String(value));
const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.map(asString).filter((s) => s.length > 0) : []);

/** True when the folder holds a QA set in the corpus.jsonl + queries.jsonl format. */
export function isQaSetDir(dir: string): boolean {
  return existsSync(join(dir, 'corpus.jsonl')) && existsSync(join(dir, 'queries.jsonl'));
}

/** QA set folders: `dir` itself when it is one, else its sub-folders that are, sorted by name. */
export function findQaSets(dir: string): string[] {
  if (!existsSync(dir)) throw new TeamKbError('FILE_NOT_FOUND', `Evaluation data folder ${dir} does not exist.`);
  if (isQaSetDir(dir)) return [dir];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory() && isQaSetDir(path))
    .sort();
}

/** Reads a QA set; queries whose positives are not in the corpus are dropped (and counted). */
export function loadQaSet(dir: string, opts: { limit?: number } = {}): QaSet & { droppedQueries: number } {
  if (!isQaSetDir(dir)) {
    throw new TeamKbError('FILE_NOT_FOUND', `${dir} is not a QA set: it needs corpus.jsonl and queries.jsonl.`);
  }
  const passages: Passage[] = readJsonl(join(dir, 'corpus.jsonl')).map((row) => {
    const r = row as Record<string, unknown>;
    return { id: asString(r.id ?? r._id), title: asString(r.title), text: asString(r.text) };
  });
  const known = new Set(passages.map((p) => p.id));
  let dropped = 0;
  const queries: QaQuery[] = [];
  for (const row of readJsonl(join(dir, 'queries.jsonl'))) {
    const r = row as Record<string, unknown>;
    const query: QaQuery = {
      id: asString(r.id ?? r._id),
      question: asString(r.question ?? r.text).trim(),
      answers: asStrings(r.answers),
      positiveIds: asStrings(r.positive_ids ?? r.positiveIds).filter((id) => known.has(id)),
    };
    if (!query.question || query.positiveIds.length === 0) {
      dropped++;
      continue;
    }
    queries.push(query);
  }
  const limited = opts.limit !== undefined && opts.limit > 0 ? queries.slice(0, opts.limit) : queries;
  return { name: basename(dir), dir, passages, queries: limited, droppedQueries: dropped };
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** Coarse query language for per-language figures: any CJK character makes it "zh". */
export function queryLanguage(question: string): 'zh' | 'en' {
  return CJK.test(question) ? 'zh' : 'en';
}
