import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReranker } from '../../../adapters/models/create-reranker.js';
import { parseModelSpec } from '../../../adapters/models/spec.js';
import { isTeamKbError, TeamKbError } from '../../../core/errors.js';

const modelsDir = mkdtempSync(join(tmpdir(), 'teamkb-models-'));

async function failure(promise: Promise<unknown>): Promise<TeamKbError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TeamKbError);
  return error as TeamKbError;
}

describe('reranker specs', () => {
  it('parses transformers, catalog, fake and none', () => {
    expect(parseModelSpec('transformers:Xenova/bge-reranker-base', 'reranker')).toEqual({
      kind: 'transformers',
      target: 'Xenova/bge-reranker-base',
    });
    expect(parseModelSpec('bge-reranker-base', 'reranker')).toEqual({ kind: 'catalog', name: 'bge-reranker-base' });
    expect(parseModelSpec('fake', 'reranker')).toEqual({ kind: 'fake' });
    expect(parseModelSpec(' none ', 'reranker')).toEqual({ kind: 'none' });
  });

  it('rejects other runtimes naming TEAMKB_RERANKER and the accepted forms', () => {
    for (const spec of [
      'llama:/m/reranker.gguf',
      'openai:rerank@http://localhost:8000/v1',
      'fake:8',
      'onnx:x',
      'transformers:',
    ]) {
      let error: unknown;
      try {
        parseModelSpec(spec, 'reranker');
      } catch (err) {
        error = err;
      }
      expect(isTeamKbError(error, 'CONFIG_INVALID'), spec).toBe(true);
      expect((error as Error).message).toContain('TEAMKB_RERANKER');
      expect((error as Error).message).toContain('transformers:<model id or dir>');
    }
  });
});

describe('createReranker', () => {
  it('is off for none or unset, and a term-overlap fake for fake', async () => {
    expect(await createReranker(undefined, { modelsDir })).toBeNull();
    expect(await createReranker('none', { modelsDir })).toBeNull();
    const fake = await createReranker('fake', { modelsDir });
    expect(fake?.id).toBe('fake:term-overlap');
    expect(await fake?.rerank('vpn key', ['the vpn key', 'vpn', 'lunch'])).toEqual([1, 0.5, 0]);
  });

  it('lists catalog rerankers for an unknown name and refuses a catalog model of another kind', async () => {
    const unknown = await failure(createReranker('no-such-reranker', { modelsDir }));
    expect(unknown.code).toBe('CONFIG_INVALID');
    expect(unknown.message).toContain('bge-reranker-base');
    const embedder = await failure(createReranker('bge-small-zh-v1.5', { modelsDir }));
    expect(embedder.message).toContain('not a reranker');
  });

  it('says what to download and where when the catalog reranker is missing offline', async () => {
    const error = await failure(createReranker('bge-reranker-base', { modelsDir }));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(join(modelsDir, 'bge-reranker-base'));
    expect(error.message).toContain('npm run models -- pull bge-reranker-base');
    expect(error.message).toContain('https://huggingface.co/Xenova/bge-reranker-base/resolve/');
  });

  it('says where it looked for a missing or incomplete reranker folder', async () => {
    const missing = await failure(createReranker('transformers:Org/missing-reranker', { modelsDir }));
    expect(missing.code).toBe('MODEL_NOT_FOUND');
    expect(missing.message).toContain('Reranker model "Org/missing-reranker" not found');
    expect(missing.message).toContain('https://huggingface.co/Org/missing-reranker');
    const dir = mkdtempSync(join(modelsDir, 'partial-'));
    writeFileSync(join(dir, 'config.json'), '{}');
    const partial = await failure(createReranker(`transformers:${dir}`, { modelsDir }));
    expect(partial.message).toContain(`Reranker model folder ${dir} lacks tokenizer.json, onnx/model_quantized.onnx`);
  });
});
