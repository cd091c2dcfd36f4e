import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../adapters/models/create-embedder.js';
import { createLlm } from '../../../adapters/models/create-llm.js';
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

describe('model specs', () => {
  it('parses every accepted form', () => {
    expect(parseModelSpec(' none ', 'embedder')).toEqual({ kind: 'none' });
    expect(parseModelSpec('', 'llm')).toEqual({ kind: 'none' });
    expect(parseModelSpec('fake', 'embedder')).toEqual({ kind: 'fake' });
    expect(parseModelSpec('fake:128', 'embedder')).toEqual({ kind: 'fake', dim: 128 });
    expect(parseModelSpec('transformers:Xenova/bge-small-zh-v1.5', 'embedder')).toEqual({
      kind: 'transformers',
      target: 'Xenova/bge-small-zh-v1.5',
    });
    expect(parseModelSpec('llama:/m/x.gguf', 'llm')).toEqual({ kind: 'llama', target: '/m/x.gguf' });
    expect(parseModelSpec('openai:qwen2.5:7b@http://localhost:11434/v1', 'llm')).toEqual({
      kind: 'openai',
      model: 'qwen2.5:7b',
      baseUrl: 'http://localhost:11434/v1',
    });
    expect(parseModelSpec('multilingual-e5-small', 'embedder')).toEqual({ kind: 'catalog', name: 'multilingual-e5-small' });
  });

  it('rejects bad specs naming the setting and the accepted forms', () => {
    for (const [spec, role] of [
      ['onnx:foo', 'embedder'],
      ['openai:gpt-4o', 'llm'],
      ['fake:0', 'embedder'],
      ['transformers:x', 'llm'],
      ['llama:', 'llm'],
    ] as const) {
      const error = (() => {
        try {
          parseModelSpec(spec, role);
        } catch (err) {
          return err as TeamKbError;
        }
      })();
      expect(isTeamKbError(error, 'CONFIG_INVALID'), spec).toBe(true);
      expect(error?.message).toContain(role === 'embedder' ? 'TEAMKB_EMBEDDER' : 'TEAMKB_LLM');
      expect(error?.message).toContain('openai:<model>@<base url>');
    }
  });
});

describe('createEmbedder / createLlm', () => {
  it('returns null for none (keyword-only / no LLM) and fakes for fake', async () => {
    expect(await createEmbedder('none', { modelsDir })).toBeNull();
    expect(await createLlm('none', { modelsDir })).toBeNull();
    expect((await createEmbedder('fake:8', { modelsDir }))?.id).toBe('fake:8');
    expect((await createLlm('fake', { modelsDir }))?.id).toBe('fake:echo');
  });

  it('lists catalog names when a name is unknown, and refuses a model of the wrong kind', async () => {
    const unknown = await failure(createEmbedder('no-such-model', { modelsDir }));
    expect(unknown.code).toBe('CONFIG_INVALID');
    expect(unknown.message).toContain('multilingual-e5-small');
    const wrongKind = await failure(createEmbedder('qwen2.5-1.5b-instruct-q4_k_m', { modelsDir }));
    expect(wrongKind.message).toContain('not an embedder');
    const wrongLlm = await failure(createLlm('bge-small-zh-v1.5', { modelsDir }));
    expect(wrongLlm.message).toContain('not an LLM');
  });

  it('says what to download and where when a catalog model is missing offline', async () => {
    const error = await failure(createEmbedder('bge-small-zh-v1.5', { modelsDir }));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(join(modelsDir, 'bge-small-zh-v1.5'));
    expect(error.message).toContain('npm run models -- pull bge-small-zh-v1.5');
    expect(error.message).toContain('https://huggingface.co/Xenova/bge-small-zh-v1.5/resolve/');
    expect(error.message).not.toMatch(/\n\s+at /);
    const llm = await failure(createLlm('qwen2.5-1.5b-instruct-q4_k_m', { modelsDir }));
    expect(llm.code).toBe('MODEL_NOT_FOUND');
    expect(llm.message).toContain('qwen2.5-1.5b-instruct-q4_k_m.gguf');
  });

  it('says where it looked for a missing GGUF file or model folder', async () => {
    const gguf = await failure(createLlm('llama:missing.gguf', { modelsDir }));
    expect(gguf.code).toBe('MODEL_NOT_FOUND');
    expect(gguf.message).toContain(join(modelsDir, 'missing.gguf'));
    const folder = await failure(createEmbedder('transformers:Org/missing-model', { modelsDir }));
    expect(folder.code).toBe('MODEL_NOT_FOUND');
    expect(folder.message).toContain('https://huggingface.co/Org/missing-model');
  });

  it('names the missing files of an incomplete model folder', async () => {
    const dir = mkdtempSync(join(modelsDir, 'partial-'));
    writeFileSync(join(dir, 'config.json'), '{}');
    const error = await failure(createEmbedder(`transformers:${dir}`, { modelsDir }));
    expect(error.message).toContain('tokenizer.json, onnx/model_quantized.onnx');
  });
});
