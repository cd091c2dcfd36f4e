import type { MilvusStatus } from './status.js';

export type { MilvusStatus } from './status.js';

/**
 * The slice of the Milvus SDK client this store calls. `MilvusClient` satisfies it; unit tests
 * may pass an in-memory client with the same shape.
 */
export interface MilvusField {
  name: string;
  data_type: string;
  type_params?: { key: string; value: string }[];
  dim?: string | number;
}

type Req = Record<string, unknown>;

export interface MilvusApi {
  getVersion(): Promise<{ version: string; status?: MilvusStatus }>;
  createCollection(req: Req): Promise<MilvusStatus>;
  /** A failed status (not a thrown error) when the collection is missing or the server refuses. */
  describeCollection(req: Req): Promise<{ status?: MilvusStatus; schema: { fields: MilvusField[] }; collectionID?: string }>;
  describeIndex(req: Req): Promise<{ status?: MilvusStatus; index_descriptions?: { field_name: string; index_name?: string }[] }>;
  createIndex(req: Req): Promise<MilvusStatus>;
  loadCollection(req: Req): Promise<MilvusStatus>;
  dropCollection(req: Req): Promise<MilvusStatus>;
  upsert(req: Req): Promise<{ status: MilvusStatus }>;
  delete(req: Req): Promise<{ status: MilvusStatus; delete_cnt?: number | string }>;
  search(req: Req): Promise<{ status: MilvusStatus; results: Record<string, unknown>[] }>;
  query(req: Req): Promise<{ status: MilvusStatus; data: Record<string, unknown>[] }>;
  closeConnection(): Promise<unknown>;
}
