import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../adapters/models/create-embedder.js';
import { cosine } from '../../../adapters/models/vector-math.js';
import type { Embedder } from '../../../core/embedder.js';
import { embedderContract } from '../../contract/embedder.contract.js';
import { sharedFixture } from '../../helpers/shared.js';

const gguf = sharedFixture('models/bge-small-zh-v1.5-from-onnx-q8_0.gguf', 'llama embedder tests (bge-small-zh GGUF)');
const modelsDir = mkdtempSync(join(tmpdir(), 'teamkb-models-'));

async function make(): Promise<Embedder | undefined> {
  if (!gguf) return undefined;
  return (await createEmbedder(`llama:${gguf}`, { modelsDir, threads: 1, gpu: false })) ?? undefined;
}

embedderContract('llama bge-small-zh GGUF', make, { batchTolerance: 0.9999 });

describe.skipIf(!gguf)('llama embedder on the bge-small-zh GGUF', () => {
  it('reproduces the reference similarities and names itself after the file', async () => {
    const embedder = (await make()) as Embedder;
    expect(embedder.id).toBe('llama:bge-small-zh-v1.5-from-onnx-q8_0');
    expect(embedder.dim).toBe(512);
    const [a, b, c] = await embedder.embed(['今天天气很好', '今天是晴天', '股票市场下跌'], 'passage');
    expect(cosine(a as Float32Array, b as Float32Array)).toBeCloseTo(0.75, 1);
    expect(cosine(a as Float32Array, c as Float32Array)).toBeCloseTo(0.33, 1);
  });

  it('truncates text longer than the context instead of failing', async () => {
    const embedder = (await make()) as Embedder;
    const [v] = await embedder.embed(['很长的文本。'.repeat(300)], 'passage');
    expect(v?.length).toBe(512);
  });
});
