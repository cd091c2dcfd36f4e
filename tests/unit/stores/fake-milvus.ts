import type { MilvusApi, MilvusField } from '../../../adapters/stores/milvus/api.js';
import { tokenize } from '../../../core/text/tokenize.js';
import { compileExpr, ExprError, type Predicate } from './milvus-expr.js';

type Row = Record<string, unknown>;
interface Collection {
  id: string;
  fields: Record<string, unknown>[];
  rows: Map<string, Row>;
  indexes: Set<string>;
  loaded: boolean;
}

const OK = { error_code: 'Success', reason: '', code: 0 };
const NOT_FOUND = { error_code: 'CollectionNotExists', reason: 'collection not found', code: 100 };

/** How Milvus 2.5 answers an expression it cannot parse or type-check (merr ErrParameterInvalid). */
function invalid(reason: string) {
  return { error_code: 'UnexpectedError', reason, code: 1100 };
}

/** The filter's row test, or the failed status a server would send for it. */
function filterOf(filter: unknown): Predicate | { status: ReturnType<typeof invalid> } {
  try {
    return compileExpr(String(filter ?? ''));
  } catch (err) {
    if (err instanceof ExprError)
      return { status: invalid(`failed to create query plan: cannot parse expression: ${err.message}`) };
    throw err;
  }
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

export function bm25(rows: Row[], query: string): Map<Row, number> {
  const docs = rows.map((r) => tokenize(String(r.text)));
  const avg = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, docs.length);
  const scores = new Map<Row, number>();
  for (const term of new Set(tokenize(query))) {
    const df = docs.filter((d) => d.includes(term)).length;
    if (df === 0) continue;
    const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
    docs.forEach((d, i) => {
      const tf = d.filter((t) => t === term).length;
      if (tf === 0) return;
      const row = rows[i] as Row;
      scores.set(row, (scores.get(row) ?? 0) + (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * d.length) / avg)));
    });
  }
  return scores;
}

/**
 * An in-memory Milvus with the behaviour this store relies on, answering like the SDK does
 * (failed statuses, not exceptions, for a missing collection); `calls` records every request.
 * The failure paths are driven through the real SDK in milvus-grpc.test.ts.
 */
export class FakeMilvus implements MilvusApi {
  readonly collections = new Map<string, Collection>();
  private nextId = 1;
  readonly calls: { method: string; req: unknown }[] = [];
  failNext: Error[] = [];

  constructor(private readonly version = 'v2.5.16') {}

  private record(method: string, req: unknown): void {
    this.calls.push({ method, req });
    const failure = this.failNext.shift();
    if (failure) throw failure;
  }

  private get(req: Row): Collection | undefined {
    return this.collections.get(String(req.collection_name));
  }

  async getVersion() {
    this.record('getVersion', {});
    return { version: this.version, status: OK };
  }
  async createCollection(req: Row) {
    this.record('createCollection', req);
    if (this.collections.has(String(req.collection_name)))
      return { ...OK, error_code: 'UnexpectedError', code: 65535, reason: 'collection already exists' };
    const id = String(this.nextId++);
    this.collections.set(String(req.collection_name), {
      id,
      fields: req.fields as Row[],
      rows: new Map(),
      indexes: new Set(),
      loaded: false,
    });
    return OK;
  }
  async describeCollection(req: Row) {
    this.record('describeCollection', req);
    const c = this.get(req);
    if (!c) return { status: NOT_FOUND, schema: { fields: [] } };
    const fields = c.fields.map((f) => ({
      name: String(f.name),
      data_type: String(f.data_type),
      type_params: f.dim === undefined ? [] : [{ key: 'dim', value: String(f.dim) }],
    })) as MilvusField[];
    return { status: OK, schema: { fields }, collectionID: c.id };
  }
  async describeIndex(req: Row) {
    this.record('describeIndex', req);
    const c = this.get(req);
    if (!c) return { status: NOT_FOUND };
    if (c.indexes.size === 0) return { status: { error_code: 'IndexNotExist', reason: 'index not found', code: 700 } };
    return { status: OK, index_descriptions: [...c.indexes].map((field_name) => ({ field_name })) };
  }
  async createIndex(req: Row) {
    this.record('createIndex', req);
    const c = this.get(req);
    if (!c) return NOT_FOUND;
    c.indexes.add(String(req.field_name));
    return OK;
  }
  async loadCollection(req: Row) {
    this.record('loadCollection', req);
    const c = this.get(req);
    if (!c) return NOT_FOUND;
    const vectors = c.fields.filter((f) => f.name === 'vector' || f.name === 'sparse').map((f) => String(f.name));
    if (vectors.some((name) => !c.indexes.has(name)))
      return { error_code: 'IndexNotExist', reason: 'index not found', code: 700 };
    c.loaded = true;
    return OK;
  }
  async dropCollection(req: Row) {
    this.record('dropCollection', req);
    if (!this.collections.delete(String(req.collection_name))) return NOT_FOUND;
    return OK;
  }
  async upsert(req: Row) {
    this.record('upsert', req);
    const c = this.get(req);
    if (!c) return { status: NOT_FOUND };
    for (const row of req.data as Row[]) c.rows.set(String(row.id), structuredClone(row));
    return { status: OK };
  }
  async delete(req: Row) {
    this.record('delete', req);
    const c = this.get(req);
    if (!c) return { status: NOT_FOUND };
    const matches = filterOf(req.filter);
    if (typeof matches !== 'function') return matches;
    let count = 0;
    for (const [id, row] of c.rows) if (matches(row) && c.rows.delete(id)) count++;
    return { status: OK, delete_cnt: count };
  }
  async search(req: Row) {
    this.record('search', req);
    const c = this.get(req);
    if (!c) return { status: NOT_FOUND, results: [] };
    const matches = filterOf(req.filter);
    if (typeof matches !== 'function') return { ...matches, results: [] };
    const rows = [...c.rows.values()].filter(matches);
    const [data] = req.data as (string | number[])[];
    const scored =
      req.anns_field === 'sparse'
        ? [...bm25(rows, data as string).entries()].map(([row, score]) => ({ row, score }))
        : rows.map((row) => ({ row, score: cosine(row.vector as number[], data as number[]) }));
    const results = scored
      .sort((a, b) => b.score - a.score)
      .slice(0, Number(req.limit))
      .map(({ row, score }) => ({
        id: row.id,
        file_id: row.file_id,
        ordinal: row.ordinal,
        text: row.text,
        meta: row.meta,
        score,
      }));
    return { status: OK, results };
  }
  async query(req: Row) {
    this.record('query', req);
    const c = this.get(req);
    if (!c) return { status: NOT_FOUND, data: [] };
    const matches = filterOf(req.filter);
    if (typeof matches !== 'function') return { ...matches, data: [] };
    const rows = [...c.rows.values()].filter(matches);
    if ((req.output_fields as string[]).includes('count(*)')) return { status: OK, data: [{ 'count(*)': rows.length }] };
    if (String(req.filter ?? '') === '' && req.limit === undefined)
      return { status: invalid('empty expression should be used with limit'), data: [] };
    rows.sort((a, b) => Buffer.compare(Buffer.from(String(a.id)), Buffer.from(String(b.id))));
    const fields = req.output_fields as string[];
    const data = rows
      .slice(0, Number(req.limit ?? rows.length))
      .map((r) => Object.fromEntries(fields.map((f) => [f, structuredClone(r[f])])));
    return { status: OK, data };
  }
  async closeConnection() {
    this.record('closeConnection', {});
    return undefined;
  }
}
