import type { MilvusField } from './api.js';

/** SDK enum values, spelled out so this module does not load the gRPC client. */
const FUNCTION_TYPE_BM25 = 1;
export const TEXT_MAX_LENGTH = 65_535;
export const OUTPUT_FIELDS = ['id', 'file_id', 'ordinal', 'text', 'meta'];

/**
 * jieba (dictionary words) plus lowercase, dropping tokens that are neither CJK nor alphanumeric:
 * close to core/text/tokenize.ts, which the embedded store uses, so BM25 behaves alike.
 */
export const TEXT_ANALYZER = { tokenizer: 'jieba', filter: ['lowercase', 'cnalphanumonly'] };

export interface CollectionPlan {
  name: string;
  kb: string;
  /** null: keyword-only, the collection holds only the BM25 sparse vector. */
  dim: number | null;
  /** Server has reliable BM25 full-text functions (see FULL_TEXT_MIN). */
  fullText: boolean;
  /** Server accepts `inverted_index_algo` on sparse indexes (2.5.4+). */
  indexAlgo?: boolean;
}

/**
 * One collection per KB: id (primary key), file_id, ordinal, text, meta (JSON), a dense `vector`
 * (HNSW, COSINE — the embedded store ranks by the same cosine) and, on 2.5+, a `sparse` BM25
 * vector computed by the server from `text`. Strong consistency: a search sees every finished write.
 */
export function createCollectionRequest(plan: CollectionPlan): Record<string, unknown> {
  const fields: Record<string, unknown>[] = [
    { name: 'id', data_type: 'VarChar', is_primary_key: true, autoID: false, max_length: 512 },
    { name: 'file_id', data_type: 'VarChar', max_length: 512 },
    { name: 'ordinal', data_type: 'Int64' },
    {
      name: 'text',
      data_type: 'VarChar',
      max_length: TEXT_MAX_LENGTH,
      ...(plan.fullText ? { enable_analyzer: true, analyzer_params: TEXT_ANALYZER } : {}),
    },
    { name: 'meta', data_type: 'JSON' },
  ];
  if (plan.dim !== null) fields.push({ name: 'vector', data_type: 'FloatVector', dim: plan.dim });
  if (plan.fullText) fields.push({ name: 'sparse', data_type: 'SparseFloatVector', is_function_output: true });
  return {
    collection_name: plan.name,
    description: `TeamKB knowledge base ${plan.kb}`.slice(0, 255),
    consistency_level: 'Strong',
    fields,
    functions: plan.fullText
      ? [{ name: 'text_bm25', type: FUNCTION_TYPE_BM25, input_field_names: ['text'], output_field_names: ['sparse'], params: {} }]
      : [],
  };
}

export function indexRequests(plan: CollectionPlan): Record<string, unknown>[] {
  const requests: Record<string, unknown>[] = [];
  if (plan.dim !== null) {
    requests.push({
      collection_name: plan.name,
      field_name: 'vector',
      index_name: 'vector_hnsw',
      index_type: 'HNSW',
      metric_type: 'COSINE',
      params: { M: 16, efConstruction: 200 },
    });
  }
  if (plan.fullText) {
    requests.push({
      collection_name: plan.name,
      field_name: 'sparse',
      index_name: 'sparse_bm25',
      index_type: 'SPARSE_INVERTED_INDEX',
      metric_type: 'BM25',
      params: { ...(plan.indexAlgo ? { inverted_index_algo: 'DAAT_MAXSCORE' } : {}), bm25_k1: 1.2, bm25_b: 0.75 },
    });
  }
  return requests;
}

/** The dense dimension of an existing collection, null when it has no dense vector. */
export function dimensionOf(fields: MilvusField[]): number | null {
  const vector = fields.find((f) => f.name === 'vector');
  if (vector === undefined) return null;
  const raw = vector.dim ?? vector.type_params?.find((p) => p.key === 'dim')?.value;
  return raw === undefined ? null : Number(raw);
}

export function hasSparse(fields: MilvusField[]): boolean {
  return fields.some((f) => f.name === 'sparse');
}

/**
 * BM25 functions arrived in 2.5.0, but until 2.5.11 a BM25 search of an empty collection failed
 * (average document length NaN) — exactly what keyword or hybrid search of a new KB does.
 */
export const FULL_TEXT_MIN: Version = [2, 5, 11];
/** `inverted_index_algo` on sparse indexes exists from 2.5.4. */
export const INDEX_ALGO_MIN: Version = [2, 5, 4];

export type Version = [number, number, number];

/** "v2.5.4" → [2, 5, 4]; "2.6.0-rc1" → [2, 6, 0]; unparsable → [0, 0, 0]. */
export function parseVersion(version: string): Version {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (match === null) return [0, 0, 0];
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function atLeast(version: string, min: Version): boolean {
  const v = parseVersion(version);
  for (let i = 0; i < 3; i++) if ((v[i] as number) !== min[i]) return (v[i] as number) > (min[i] as number);
  return true;
}

export function supportsFullText(version: string): boolean {
  return atLeast(version, FULL_TEXT_MIN);
}

export function formatVersion(v: Version): string {
  return v.join('.');
}
