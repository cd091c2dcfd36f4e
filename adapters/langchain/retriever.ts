import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { TeamKbClient, TeamKbPassage } from './client.js';

export interface TeamKbRetrieverInput extends BaseRetrieverInput {
  client: TeamKbClient;
  /** Knowledge bases to search; default every one the caller may see. */
  kbs?: string[];
  topK?: number;
}

export function toDocument(p: TeamKbPassage): Document {
  return new Document({
    pageContent: p.text,
    metadata: {
      source: p.source,
      kb: p.kb,
      score: p.score,
      chunkId: p.chunkId,
      ...(p.page !== undefined ? { page: p.page } : {}),
    },
    id: p.chunkId,
  });
}

/** TeamKB knowledge bases as a LangChain retriever: hybrid search, 0..1 scores, sources in metadata. */
export class TeamKbRetriever extends BaseRetriever {
  static override lc_name() {
    return 'TeamKbRetriever';
  }

  override lc_namespace = ['teamkb', 'retrievers'];
  private readonly client: TeamKbClient;
  private readonly kbs?: string[];
  private readonly topK?: number;

  constructor(input: TeamKbRetrieverInput) {
    super(input);
    this.client = input.client;
    this.kbs = input.kbs;
    this.topK = input.topK;
  }

  override async _getRelevantDocuments(query: string, _runManager?: CallbackManagerForRetrieverRun): Promise<Document[]> {
    const passages = await this.client.search(query, { kbs: this.kbs, topK: this.topK });
    return passages.map(toDocument);
  }
}
