import milvusProto from '@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus.js';
import protobuf from 'protobufjs';
import { bm25, cosine } from './fake-milvus.js';
import type { Predicate } from './milvus-expr.js';

/**
 * Rows in and out of Milvus's column format (schema.FieldData), and search over them, for the
 * loopback gRPC fake: what the real SDK encodes in Upsert and decodes from Query and Search.
 */
type Row = Record<string, unknown>;

const root = protobuf.Root.fromJSON(milvusProto as protobuf.INamespace);
const PlaceholderGroup = root.lookupType('milvus.proto.common.PlaceholderGroup');

/** One column of rows as Milvus sends it (the types a TeamKB collection has). */
export function column(name: string, rows: Row[]): Row {
  const values = rows.map((r) => r[name]);
  if (name === 'ordinal') return { type: 'Int64', field_name: name, scalars: { long_data: { data: values.map(String) } } };
  if (name === 'meta') {
    return {
      type: 'JSON',
      field_name: name,
      scalars: { json_data: { data: values.map((v) => Buffer.from(JSON.stringify(v))) } },
    };
  }
  if (name === 'vector') {
    const dim = (values[0] as number[] | undefined)?.length ?? 0;
    return { type: 'FloatVector', field_name: name, vectors: { dim: String(dim), float_vector: { data: values.flat() } } };
  }
  return { type: 'VarChar', field_name: name, scalars: { string_data: { data: values.map(String) } } };
}

/** The rows of an Insert/Upsert request's columns. */
export function rowsOf(fieldsData: Row[], count: number): Row[] {
  const rows: Row[] = Array.from({ length: count }, () => ({}));
  for (const field of fieldsData) {
    const name = String(field.field_name);
    const scalars = field.scalars as Record<string, { data: unknown[] }> | undefined;
    const vectors = field.vectors as { dim: string; float_vector?: { data: number[] } } | undefined;
    let values: unknown[];
    if (field.type === 'FloatVector') {
      const dim = Number(vectors?.dim);
      const flat = vectors?.float_vector?.data ?? [];
      values = Array.from({ length: count }, (_, i) => flat.slice(i * dim, (i + 1) * dim));
    } else if (field.type === 'Int64') values = (scalars?.long_data?.data ?? []).map(Number);
    else if (field.type === 'JSON')
      values = (scalars?.json_data?.data ?? []).map((b) => JSON.parse(Buffer.from(b as Uint8Array).toString()));
    else if (field.type === 'VarChar') values = scalars?.string_data?.data ?? [];
    else throw new Error(`column type ${String(field.type)} is not part of this fake`);
    if (values.length !== count) throw new Error(`column ${name} has ${values.length} values for ${count} rows`);
    values.forEach((v, i) => {
      (rows[i] as Row)[name] = v;
    });
  }
  return rows;
}

/** A Search request answered over `rows`: dense (COSINE) on `vector`, BM25 on `sparse` (text in). */
export function searchRows(rows: Row[], req: Row, matches: Predicate): Row {
  const params = Object.fromEntries((req.search_params as { key: string; value: string }[]).map((p) => [p.key, p.value]));
  const group = PlaceholderGroup.toObject(PlaceholderGroup.decode(req.placeholder_group as Uint8Array)) as {
    placeholders: { values: Uint8Array[] }[];
  };
  const value = group.placeholders[0]?.values[0] as Uint8Array;
  const candidates = rows.filter(matches);
  let scored: { row: Row; score: number }[];
  if (params.anns_field === 'sparse') {
    if (params.metric_type !== 'BM25') throw new Error(`metric ${params.metric_type} on sparse`);
    scored = [...bm25(candidates, Buffer.from(value).toString()).entries()].map(([row, score]) => ({ row, score }));
  } else {
    if (params.anns_field !== 'vector' || params.metric_type !== 'COSINE') throw new Error(`search ${JSON.stringify(params)}`);
    const query = Array.from(new Float32Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)));
    scored = candidates.map((row) => ({ row, score: cosine(row.vector as number[], query) }));
  }
  const top = scored.sort((a, b) => b.score - a.score).slice(0, Number(params.topk));
  const hits = top.map((t) => t.row);
  const outputs = (req.output_fields as string[]).filter((f) => f !== '*');
  return {
    num_queries: '1',
    top_k: String(params.topk),
    topks: [String(hits.length)],
    scores: top.map((t) => t.score),
    ids: { str_id: { data: hits.map((r) => String(r.id)) } },
    fields_data: outputs.map((name) => column(name, hits)),
    output_fields: outputs,
  };
}
