/**
 * The slice of the Milvus SDK client this store calls. `MilvusClient` satisfies it; tests pass a
 * fake with the same shape, so everything above this line is testable without a server.
 */
export interface MilvusStatus {
  error_code?: string | number;
  code?: number;
  reason?: string;
}

export interface MilvusField {
  name: string;
  data_type: string;
  type_params?: { key: string; value: string }[];
  dim?: string | number;
}

type Req = Record<string, unknown>;

export interface MilvusApi {
  getVersion(): Promise<{ version: string; status?: MilvusStatus }>;
  hasCollection(req: Req): Promise<{ value: boolean; status?: MilvusStatus }>;
  createCollection(req: Req): Promise<MilvusStatus>;
  describeCollection(req: Req): Promise<{ status?: MilvusStatus; schema: { fields: MilvusField[] } }>;
  createIndex(req: Req): Promise<MilvusStatus>;
  loadCollection(req: Req): Promise<MilvusStatus>;
  dropCollection(req: Req): Promise<MilvusStatus>;
  upsert(req: Req): Promise<{ status: MilvusStatus }>;
  delete(req: Req): Promise<{ status: MilvusStatus; delete_cnt?: number | string }>;
  search(req: Req): Promise<{ status: MilvusStatus; results: Record<string, unknown>[] }>;
  query(req: Req): Promise<{ status: MilvusStatus; data: Record<string, unknown>[] }>;
  /** Resolves to an async iterable of row batches. */
  queryIterator(req: Req): Promise<AsyncIterable<Record<string, unknown>[]>>;
  closeConnection(): Promise<unknown>;
}

/** Throws when a Milvus response carries an error status. */
export function checkStatus(status: MilvusStatus | undefined, what: string): void {
  if (status === undefined) return;
  const ok = status.error_code === undefined || status.error_code === 'Success' || status.error_code === 0;
  if (ok && (status.code === undefined || status.code === 0)) return;
  const err = new Error(`${what} failed: ${status.reason || String(status.error_code ?? status.code)}`);
  (err as Error & { milvusCode?: unknown }).milvusCode = status.error_code ?? status.code;
  throw err;
}
