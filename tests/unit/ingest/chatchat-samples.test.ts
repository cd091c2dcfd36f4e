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
    const byFile = new Map<string, { ordinal: number; text: string }[]>();
    for await (const batch of core.store.scan('chatchat', 2000)) {
      for (const c of batch) byFile.set(c.fileId, [...(byFile.get(c.fileId) ?? []), { ordinal: c.ordinal, text: c.text }]);
    }
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const textOf = new Map([...byFile].map(([id, cs]) => [id, flat(cs.map((c) => c.text).join(' '))]));
    for (const file of core.kb.listFiles('chatchat')) {
      const chunks = (byFile.get(file.id) ?? []).sort((a, b) => a.ordinal - b.ordinal).map((c) => c.text);
      expect(chunks.length, file.name).toBeGreaterThan(0);
      // Some sample files quote each other word for word; a phrase found in another file has no single right
      // answer, so take the middle-most chunk whose phrase belongs to this file (or its .csv/.xlsx/.jsonl twins) only.
      const others = [...textOf].filter(
        ([id]) => family(core.kb.listFiles('chatchat').find((f) => f.id === id)?.name ?? '') !== family(file.name),
      );
      const middle = Math.floor(chunks.length / 2);
      const order = chunks.map((_, i) => i).sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle));
      const phrase = order.map((i) => phraseOf(chunks[i] as string)).find((p) => others.every(([, t]) => !t.includes(p)));
      expect(phrase, `${file.name} has no phrase of its own`).toBeTruthy();
      const hits = await core.kb.search(['chatchat'], phrase as string, { mode: 'bm25', topK: 5 });
      expect(family(hits[0]?.chunk.meta.source ?? ''), `${file.name}: "${phrase}"`).toBe(family(file.name));
      expect(hits.map((h) => h.chunk.meta.source)).toContain(file.name);
    }
  }, 120_000);
});
