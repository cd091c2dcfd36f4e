import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogEntryLoadPath,
  defaultCatalogEntry,
  describeManualDownload,
  isCatalogEntryPresent,
  loadCatalog,
} from '../../../adapters/models/catalog.js';

describe('model catalog (models/catalog.yaml)', () => {
  const catalog = loadCatalog();

  it('has CPU and GPU default LLMs, a default embedder and a reranker', () => {
    expect(defaultCatalogEntry(catalog, 'llm-cpu')?.runtime).toBe('llama');
    expect(defaultCatalogEntry(catalog, 'llm-gpu')?.runtime).toBe('llama');
    expect(defaultCatalogEntry(catalog, 'embedder')?.runtime).toBe('transformers');
    expect(catalog.models.some((m) => m.kind === 'reranker')).toBe(true);
  });

  it('gives every file an https URL and a real or explicitly absent hash', () => {
    for (const entry of catalog.models) {
      expect(entry.licence.length).toBeGreaterThan(0);
      for (const file of entry.files) {
        expect(file.url.startsWith('https://'), file.url).toBe(true);
        expect(file.sha256 === null || /^[0-9a-f]{64}$/.test(file.sha256)).toBe(true);
      }
      if (entry.runtime === 'transformers') {
        expect(entry.files.map((f) => f.path)).toEqual(
          expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model_quantized.onnx']),
        );
      }
    }
  });

  it('places models under <modelsDir>/<name>/ and reports them absent until downloaded', () => {
    const modelsDir = mkdtempSync(join(tmpdir(), 'teamkb-models-'));
    const llm = defaultCatalogEntry(catalog, 'llm-gpu');
    if (!llm) throw new Error('no GPU default');
    expect(catalogEntryLoadPath(modelsDir, llm)).toBe(join(modelsDir, llm.name, llm.files[0]?.path ?? ''));
    expect(isCatalogEntryPresent(modelsDir, llm)).toBe(false);
    expect(describeManualDownload(modelsDir, llm)).toContain(`-> ${join(modelsDir, llm.name)}`);
  });
});
