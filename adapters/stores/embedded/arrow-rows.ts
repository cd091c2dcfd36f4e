import { createRequire } from 'node:module';
import type { Chunk, ChunkMeta, StoredChunk } from '../../../core/chunk.js';
import { tokensForIndex } from '../../../core/text/tokenize.js';
import { unitVector } from '../vectors.js';

// LanceDB checks `instanceof` against the CommonJS build of apache-arrow; an ESM import would load
// a second copy whose classes it does not recognise.
const arrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');

export const COLUMNS = ['id', 'file_id', 'ordinal', 'text', 'meta'] as const;
export const KB_METADATA_KEY = 'teamkb.kb';

export type ArrowSchema = import('apache-arrow').Schema;
export type ArrowTable = import('apache-arrow').Table;

function vectorType(dim: number) {
  return new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32(), true));
}

export function tableSchema(kb: string, dim: number | null): ArrowSchema {
  const fields: import('apache-arrow').Field[] = [
    new arrow.Field('id', new arrow.Utf8(), false),
    new arrow.Field('file_id', new arrow.Utf8(), false),
    new arrow.Field('ordinal', new arrow.Int32(), false),
    new arrow.Field('text', new arrow.Utf8(), false),
    new arrow.Field('tokens', new arrow.Utf8(), false),
    new arrow.Field('meta', new arrow.Utf8(), false),
  ];
  if (dim !== null) fields.push(new arrow.Field('vector', vectorType(dim), false));
  return new arrow.Schema(fields, new Map([[KB_METADATA_KEY, kb]]));
}

/** The vector dimension a table was created with, null for keyword-only tables. */
export function schemaDimension(schema: ArrowSchema): number | null {
  const field = schema.fields.find((f) => f.name === 'vector');
  if (field === undefined) return null;
  return (field.type as import('apache-arrow').FixedSizeList).listSize;
}

/** Builds one Arrow table; vectors are stored unit-length so L2 distance ranks like cosine. */
export function chunksToArrow(schema: ArrowSchema, chunks: StoredChunk[], dim: number | null): ArrowTable {
  const length = chunks.length;
  const utf8 = (values: string[]) => arrow.vectorFromArray(values, new arrow.Utf8()).data[0]!;
  const ordinals = Int32Array.from(chunks, (c) => c.ordinal);
  const columns = [
    utf8(chunks.map((c) => c.id)),
    utf8(chunks.map((c) => c.fileId)),
    arrow.makeData({ type: new arrow.Int32(), length, data: ordinals }),
    utf8(chunks.map((c) => c.text)),
    utf8(chunks.map((c) => tokensForIndex(c.text))),
    utf8(chunks.map((c) => JSON.stringify(c.meta))),
  ];
  if (dim !== null) {
    const flat = new Float32Array(length * dim);
    for (const [i, c] of chunks.entries()) flat.set(unitVector(c.vector as Float32Array), i * dim);
    const values = arrow.makeData({ type: new arrow.Float32(), length: length * dim, data: flat });
    columns.push(arrow.makeData({ type: vectorType(dim), length, nullCount: 0, child: values }) as never);
  }
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children: columns as never });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
}

interface ChunkRow {
  id: string;
  file_id: string;
  ordinal: number;
  text: string;
  meta: string;
  vector?: { toArray(): Float32Array } | null;
}

export function rowToChunk(row: ChunkRow): Chunk {
  return { id: row.id, fileId: row.file_id, ordinal: row.ordinal, text: row.text, meta: parseMeta(row.meta) };
}

export function rowToStoredChunk(row: ChunkRow | object): StoredChunk {
  const typed = row as ChunkRow;
  const chunk: StoredChunk = rowToChunk(typed);
  if (typed.vector) chunk.vector = Float32Array.from(typed.vector.toArray());
  return chunk;
}

function parseMeta(json: string): ChunkMeta {
  try {
    return JSON.parse(json) as ChunkMeta;
  } catch {
    return { source: '' };
  }
}
