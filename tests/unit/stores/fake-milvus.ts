import type { MilvusApi, MilvusField } from '../../../adapters/stores/milvus/api.js';
import { tokenize } from '../../../core/text/tokenize.js';

type Row = Record<string, unknown>;
interface Collection {
  fields: Record<string, unknown>[];
  rows: Map<string, Row>;
  loaded: boolean;
}

const OK = { error_code: 'Success', reason: '' };

/** Matches the expressions filter-expr.ts writes: `file_id in [...]`, `not (file_id in [...])`, joined by `and`. */
function matches(filter: string | undefined, row: Row): boolean {
  if (!filter) return true;
  return filter.split(/ and (?=not \(|file_id in)/).every((clause) => {
    const negated = clause.startsWith('not (');
    const list = JSON.parse(clause.slice(clause.indexOf('['), clause.lastIndexOf(']') + 1)) as string[];
    return list.includes(String(row.file_id)) !== negated;
  });
}

function cosine(a: number[], b: number[]): number {
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

function bm25(rows: Row[], query: string): Map<Row, number> {
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

/** An in-memory Milvus with the behaviour this store relies on; `calls` records every request. */
export class FakeMilvus implements MilvusApi {
  readonly collections = new Map<string, Collection>();
  readonly calls: { method: string; req: unknown }[] = [];
  failNext: Error[] = [];

  constructor(private readonly version = 'v2.5.4') {}

  private record(method: string, req: unknown): void {
    this.calls.push({ method, req });
    const failure = this.failNext.shift();
    if (failure) throw failure;
  }

  private get(req: Row): Collection {
    const c = this.collections.get(String(req.collection_name));
    if (!c) throw new Error(`collection not found: ${String(req.collection_name)}`);
    return c;
  }

  async getVersion() {
    this.record('getVersion', {});
    return { version: this.version, status: OK };
  }
  async hasCollection(req: Row) {
    this.record('hasCollection', req);
    return { value: this.collections.has(String(req.collection_name)), status: OK };
  }
  async createCollection(req: Row) {
    this.record('createCollection', req);
    this.collections.set(String(req.collection_name), { fields: req.fields as Row[], rows: new Map(), loaded: false });
    return OK;
  }
  async describeCollection(req: Row) {
    this.record('describeCollection', req);
    const fields = this.get(req).fields.map((f) => ({
      name: String(f.name),
      data_type: String(f.data_type),
      type_params: f.dim === undefined ? [] : [{ key: 'dim', value: String(f.dim) }],
    })) as MilvusField[];
    return { status: OK, schema: { fields } };
  }
  async createIndex(req: Row) {
    this.record('createIndex', req);
    return OK;
  }
  async loadCollection(req: Row) {
    this.record('loadCollection', req);
    this.get(req).loaded = true;
    return OK;
  }
  async dropCollection(req: Row) {
    this.record('dropCollection', req);
    this.collections.delete(String(req.collection_name));
    return OK;
  }
  async upsert(req: Row) {
    this.record('upsert', req);
    const c = this.get(req);
    for (const row of req.data as Row[]) c.rows.set(String(row.id), structuredClone(row));
    return { status: OK };
  }
  async delete(req: Row) {
    this.record('delete', req);
    const c = this.get(req);
    let count = 0;
    for (const [id, row] of c.rows) if (matches(req.filter as string, row) && c.rows.delete(id)) count++;
    return { status: OK, delete_cnt: count };
  }
  async search(req: Row) {
    this.record('search', req);
    const c = this.get(req);
    const rows = [...c.rows.values()].filter((r) => matches(req.filter as string, r));
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
    return { status: OK, data: [{ 'count(*)': [...c.rows.values()].filter((r) => matches(req.filter as string, r)).length }] };
  }
  async queryIterator(req: Row) {
    this.record('queryIterator', req);
    const rows = [...this.get(req).rows.values()];
    const size = Number(req.batchSize);
    return (async function* () {
      for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size).map((r) => structuredClone(r));
    })();
  }
  async closeConnection() {
    this.record('closeConnection', {});
    return undefined;
  }
}
