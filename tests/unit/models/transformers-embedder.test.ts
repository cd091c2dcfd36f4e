import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../adapters/models/create-embedder.js';
import { cosine } from '../../../adapters/models/vector-math.js';
import type { Embedder } from '../../../core/embedder.js';
import { embedderContract } from '../../contract/embedder.contract.js';
import { sharedFixture } from '../../helpers/shared.js';

const modelDir = sharedFixture('models/bge-small-zh-v1.5', 'transformers embedder tests (bge-small-zh-v1.5 ONNX)');
const modelsDir = mkdtempSync(join(tmpdir(), 'teamkb-models-'));

async function make(): Promise<Embedder | undefined> {
  if (!modelDir) return undefined;
  return (await createEmbedder(`transformers:${modelDir}`, { modelsDir, threads: 1 })) ?? undefined;
}

// int8 activations are quantized per batch, so a text's vector moves slightly with its batch-mates.
embedderContract('transformers bge-small-zh-v1.5', make, { batchTolerance: 0.97 });

describe.skipIf(!modelDir)('transformers embedder on bge-small-zh-v1.5', () => {
  it('reproduces the reference similarities', async () => {
    const embedder = (await make()) as Embedder;
    expect(embedder.id).toBe('transformers:bge-small-zh-v1.5');
    expect(embedder.dim).toBe(512);
    const [a, b, c] = await embedder.embed(['今天天气很好', '今天是晴天', '股票市场下跌'], 'query');
    expect(cosine(a as Float32Array, b as Float32Array)).toBeCloseTo(0.75, 1);
    expect(cosine(a as Float32Array, c as Float32Array)).toBeCloseTo(0.33, 1);
  });

  it('lower-cases input so capitalised English is not [UNK]', async () => {
    const embedder = (await make()) as Embedder;
    const [upper, lower, other] = await embedder.embed(['Hello World', 'hello world', 'Goodbye Moon'], 'passage');
    expect(cosine(upper as Float32Array, lower as Float32Array)).toBeGreaterThan(0.9999);
    expect(cosine(upper as Float32Array, other as Float32Array)).toBeLessThan(0.99);
  });

  it('adds no query instruction by default', async () => {
    const embedder = (await make()) as Embedder;
    const [query] = await embedder.embed(['天气'], 'query');
    const [passage] = await embedder.embed(['天气'], 'passage');
    expect(cosine(query as Float32Array, passage as Float32Array)).toBeGreaterThan(0.9999);
  });

  it('is shared: the same spec gives the same instance', async () => {
    expect(await make()).toBe(await make());
  });
});
