import type { Embedder, EmbedKind } from '../../core/embedder.js';
import { throwIfAborted } from './cancel.js';
import { endpointError, endpointUrl, type OpenAiEndpoint, postOpenAi } from './openai-http.js';
import { toUnitVector } from './vector-math.js';

export interface OpenAiEmbedderOptions extends Omit<OpenAiEndpoint, 'role'> {
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Known dimension; otherwise one probe request is made at creation. */
  dim?: number;
}

interface EmbeddingsResponse {
  data?: Array<{ index?: number; embedding?: number[] }>;
}

/** Embeddings from any OpenAI-compatible `/v1/embeddings` server (vLLM, Ollama, llama.cpp server, cloud). */
export async function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Promise<Embedder> {
  const endpoint: OpenAiEndpoint = { ...options, role: 'embedder' };
  const url = endpointUrl(options.baseUrl, 'embeddings');
  const batchSize = options.batchSize ?? 64;

  const request = async (input: string[], signal?: AbortSignal): Promise<Float32Array[]> => {
    // OpenAI rejects empty strings in `input`; a single space embeds "nothing" just as well.
    const body = { model: options.model, input: input.map((t) => (t === '' ? ' ' : t)), encoding_format: 'float' };
    const res = await postOpenAi(endpoint, 'embeddings', body, signal);
    const json = (await res.json().catch(() => ({}))) as EmbeddingsResponse;
    const rows = json.data ?? [];
    if (rows.length !== input.length) {
      throw endpointError(endpoint, url, `returned ${rows.length} embeddings for ${input.length} texts`);
    }
    const ordered = [...rows].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return ordered.map((row) => {
      if (!Array.isArray(row.embedding) || row.embedding.length === 0)
        throw endpointError(endpoint, url, 'returned an empty embedding');
      return toUnitVector(row.embedding);
    });
  };

  const dim = options.dim ?? ((await request(['dimension probe']))[0] as Float32Array).length;

  return {
    id: `openai:${options.model}`,
    dim,
    async embed(texts: string[], _kind: EmbedKind, signal?: AbortSignal): Promise<Float32Array[]> {
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        throwIfAborted(signal, 'Embedding');
        const batch = await request(texts.slice(i, i + batchSize), signal);
        for (const vector of batch) {
          if (vector.length !== dim) throw endpointError(endpoint, url, `returned ${vector.length} dimensions, expected ${dim}`);
          vectors.push(vector);
        }
      }
      return vectors;
    },
  };
}
