import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreServices } from '../../../bots/app-services.js';
import type { IngestSummary } from '../../../core/kb-service.js';
import { openTestCore } from '../../helpers/core.js';
import { sharedFixture } from '../../helpers/shared.js';

const content = sharedFixture('docs/chatchat-samples/content', "ingesting Chatchat's sample knowledge base");

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** The same rows ship as .csv, .xlsx and .jsonl: a phrase from one may rank a sibling first. */
const family = (name: string) => basename(name).replace(/\.[^.]+$/, '');

/** A phrase from the middle of one of the file's own chunks. */
function phraseOf(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' '));
  const start = Math.max(0, Math.floor(chars.length / 2) - 20);
  return chars.slice(start, start + 40).join('');
}

describe.skipIf(!content)("Chatchat's sample knowledge base, end to end with the fake embedder", () => {
  let core: CoreServices;
  let summary: IngestSummary;
  const dir = content as string;

  beforeAll(async () => {
    ({ core } = await openTestCore());
    await core.kb.createKb('chatchat');
    const { readFile } = await import('node:fs/promises');
    const uploads = await Promise.all(listFiles(dir).map(async (p) => ({ name: relative(dir, p), bytes: await readFile(p) })));
    summary = await core.kb.ingestUploads('chatchat', uploads);
  }, 240_000);
  afterAll(() => core?.close());

  it('ingests every supported file', () => {
    expect(summary.failed).toEqual([]);
    expect(summary.ingested).toHaveLength(listFiles(dir).length);
    console.log(
      `[chatchat samples] ${summary.ingested.length} files, ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s`,
    );
  });

  it('finds each file first when searching a phrase from it (bm25)', async () => {
    for (const file of core.kb.listFiles('chatchat')) {
      const chunks: string[] = [];
      for await (const batch of core.store.scan('chatchat', 2000)) {
        for (const c of batch) if (c.fileId === file.id) chunks.push(c.text);
      }
      expect(chunks.length, file.name).toBeGreaterThan(0);
      const phrase = phraseOf(chunks[Math.floor(chunks.length / 2)] as string);
      const hits = await core.kb.search(['chatchat'], phrase, { mode: 'bm25', topK: 5 });
      expect(family(hits[0]?.chunk.meta.source ?? ''), `${file.name}: "${phrase}"`).toBe(family(file.name));
      expect(hits.map((h) => h.chunk.meta.source)).toContain(file.name);
    }
  }, 120_000);
});
