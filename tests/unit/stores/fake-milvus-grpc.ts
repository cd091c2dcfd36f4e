import { type AddressInfo, createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import milvusProto from '@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus.js';
import protobuf from 'protobufjs';
import { column, rowsOf, searchRows } from './fake-milvus-data.js';
import { compileExpr, ExprError, type Predicate } from './milvus-expr.js';

type Row = Record<string, unknown>;
export type Status = {
  error_code: string;
  reason: string;
  code: number;
  retriable?: boolean;
};
interface Collection {
  id: string;
  schema: Row;
  rows: Row[];
  indexes: Row[];
  loaded: boolean;
}

/** Milvus 2.5's answer to an expression it refuses (merr ErrParameterInvalid). */
const invalidExpr = (reason: string): Status => ({ error_code: 'UnexpectedError', reason, code: 1100 });

export const OK: Status = { error_code: 'Success', reason: '', code: 0 };
/** Failure statuses as Milvus 2.5 sends them (merr code + legacy error_code). */
export const STATUS = {
  rateLimited: { error_code: 'RateLimit', reason: 'rate limit exceeded[rate=10]', code: 8, retriable: true },
  notReady: { error_code: 'NotReadyServe', reason: 'service not ready[Initializing]', code: 1, retriable: true },
  denied: { error_code: 'UnexpectedError', reason: 'privilege not permitted: PrivilegeDescribeCollection', code: 1401 },
  noDatabase: { error_code: 'UnexpectedError', reason: 'database not found[database=team]', code: 800 },
  notFound: { error_code: 'CollectionNotExists', reason: 'collection not found[collection=x]', code: 100 },
  noIndex: { error_code: 'IndexNotExist', reason: 'index not found', code: 700 },
  notLoaded: { error_code: 'UnexpectedError', reason: 'collection not loaded', code: 101 },
  internal: { error_code: 'UnexpectedError', reason: 'index build failed: out of disk', code: 65535 },
} satisfies Record<string, Status>;

// Methods whose reply is a bare common.Status rather than a message with a `status` field.
const BARE_STATUS = new Set(['CreateCollection', 'CreateIndex', 'LoadCollection', 'DropCollection', 'ReleaseCollection']);
const LOADER = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
const root = protobuf.Root.fromJSON(milvusProto as protobuf.INamespace);
const SchemaType = root.lookupType('milvus.proto.schema.CollectionSchema');

/**
 * A Milvus endpoint on loopback, speaking the SDK's own proto definitions, so the real
 * `MilvusClient` talks to it over gRPC. It keeps collections in memory, answers what the store
 * asks, and replies with whatever failure statuses a test queues (`fail`).
 */
export class FakeMilvusServer {
  readonly collections = new Map<string, Collection>();
  /** Every RPC received, in order: method name and request. */
  readonly calls: { method: string; req: Row }[] = [];
  private readonly failures = new Map<string, Status[]>();
  private server?: grpc.Server;
  private nextId = 100;
  port = 0;

  constructor(public version = 'v2.5.16') {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The next `times` calls of `method` answer `status` (Infinity: until `heal`). */
  fail(method: string, status: Status, times = 1): void {
    this.failures.set(method, [
      ...(this.failures.get(method) ?? []),
      ...Array.from({ length: Math.min(times, 1000) }, () => status),
    ]);
  }

  heal(method?: string): void {
    if (method === undefined) this.failures.clear();
    else this.failures.delete(method);
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  /** Puts rows straight into a collection, as another writer would have. */
  seed(name: string, rows: Row[]): void {
    (this.collections.get(name) as Collection).rows.push(...rows);
  }

  /** Drops a collection behind the store's back; `recreate` makes a new one of the same name. */
  replace(name: string, recreate: boolean): void {
    const old = this.collections.get(name) as Collection;
    this.collections.delete(name);
    if (recreate) this.collections.set(name, { ...old, id: String(this.nextId++), rows: [], loaded: false });
  }

  async start(port = 0): Promise<void> {
    const definition = protoLoader.fromJSON(milvusProto as protobuf.INamespace, LOADER);
    const pkg = grpc.loadPackageDefinition(definition) as unknown as {
      milvus: { proto: { milvus: { MilvusService: { service: grpc.ServiceDefinition } } } };
    };
    const service = pkg.milvus.proto.milvus.MilvusService.service;
    const server = new grpc.Server();
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const method of Object.keys(service)) {
      handlers[method] = (call: grpc.ServerUnaryCall<Row, Row>, reply: grpc.sendUnaryData<Row>) => {
        this.calls.push({ method, req: call.request });
        const failure = this.failures.get(method)?.shift();
        if (failure !== undefined) return reply(null, BARE_STATUS.has(method) ? failure : { status: failure });
        try {
          reply(null, this.answer(method, call.request));
        } catch (err) {
          reply({ code: grpc.status.UNIMPLEMENTED, details: String(err) } as grpc.ServiceError, null);
        }
      };
    }
    server.addService(service, handlers);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
        err ? reject(err) : resolve(bound),
      ),
    );
    if (Number(process.versions.node.split('.')[0]) < 22) server.start();
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.forceShutdown();
  }

  private answer(method: string, req: Row): Row {
    const c = this.collections.get(String(req.collection_name));
    const missing = { status: STATUS.notFound };
    switch (method) {
      case 'Connect':
        return { status: OK, identifier: '7', server_info: { build_tags: this.version } };
      case 'GetVersion':
        return { status: OK, version: this.version };
      case 'CreateCollection': {
        const schema = SchemaType.toObject(SchemaType.decode(req.schema as Uint8Array), {
          enums: String,
          longs: String,
          defaults: true,
        });
        const fields = (schema.fields as Row[]).map((f, i) => ({ ...f, fieldID: String(100 + i) }));
        const id = String(this.nextId++);
        this.collections.set(String(req.collection_name), {
          id,
          schema: { ...schema, fields },
          rows: [],
          indexes: [],
          loaded: false,
        });
        return OK;
      }
      case 'DescribeCollection':
        if (c === undefined) return missing;
        return {
          status: OK,
          schema: c.schema,
          collectionID: c.id,
          collection_name: req.collection_name,
          consistency_level: 'Strong',
        };
      case 'DescribeIndex':
        if (c === undefined) return missing;
        return c.indexes.length === 0 ? { status: STATUS.noIndex } : { status: OK, index_descriptions: c.indexes };
      case 'CreateIndex':
        if (c === undefined) return STATUS.notFound;
        c.indexes.push({ field_name: req.field_name, index_name: req.index_name, params: req.extra_params });
        return OK;
      case 'LoadCollection':
        if (c === undefined) return STATUS.notFound;
        if (c.indexes.length === 0) return STATUS.noIndex;
        c.loaded = true;
        return OK;
      case 'GetLoadingProgress':
        return c === undefined ? missing : { status: OK, progress: '100' };
      case 'DropCollection':
        if (c === undefined) return STATUS.notFound;
        this.collections.delete(String(req.collection_name));
        return OK;
      case 'Query':
        if (c === undefined) return missing;
        return this.query(c, req);
      case 'Search': {
        if (c === undefined) return missing;
        if (!c.loaded) return { status: STATUS.notLoaded };
        const matches = this.filter(String(req.dsl ?? ''));
        if (typeof matches !== 'function') return matches;
        return { status: OK, results: searchRows(c.rows, req, matches) };
      }
      case 'Insert':
      case 'Upsert': {
        if (c === undefined) return missing;
        const rows = rowsOf(req.fields_data as Row[], Number(req.num_rows));
        const ids = new Set(rows.map((r) => String(r.id)));
        c.rows = [...c.rows.filter((r) => !ids.has(String(r.id))), ...rows];
        return { status: OK, IDs: { str_id: { data: [...ids] } }, upsert_cnt: String(rows.length) };
      }
      case 'Delete': {
        if (c === undefined) return missing;
        const matches = this.filter(String(req.expr ?? ''));
        if (typeof matches !== 'function') return matches;
        const before = c.rows.length;
        c.rows = c.rows.filter((r) => !matches(r));
        return { status: OK, delete_cnt: String(before - c.rows.length) };
      }
      default:
        throw new Error(`${method} is not part of this fake`);
    }
  }

  /** The row test of an expression, or the reply Milvus 2.5 gives one it refuses. */
  private filter(expr: string): Predicate | Row {
    try {
      return compileExpr(expr);
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      return { status: invalidExpr(`failed to create query plan: cannot parse expression: ${err.message}`) };
    }
  }

  /** `count(*)`, or the rows the expression selects in primary-key order, up to `limit`. */
  private query(c: Collection, req: Row): Row {
    const params = Object.fromEntries((req.query_params as { key: string; value: string }[]).map((p) => [p.key, p.value]));
    const expr = String(req.expr ?? '');
    const matches = this.filter(expr);
    if (typeof matches !== 'function') return matches;
    const counting = (req.output_fields as string[]).includes('count(*)');
    if (expr === '' && params.limit === undefined && !counting)
      return { status: invalidExpr('empty expression should be used with limit') };
    const rows = c.rows.filter(matches).sort((a, b) => Buffer.compare(Buffer.from(String(a.id)), Buffer.from(String(b.id))));
    const fields = req.output_fields as string[];
    if (fields.includes('count(*)')) {
      return {
        status: OK,
        fields_data: [{ type: 'Int64', field_name: 'count(*)', scalars: { long_data: { data: [String(rows.length)] } } }],
      };
    }
    const page = params.limit === undefined ? rows : rows.slice(0, Number(params.limit));
    return { status: OK, output_fields: fields, fields_data: fields.map((name) => column(name, page)) };
  }
}

/** A loopback port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
