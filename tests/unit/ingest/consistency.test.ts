import { afterEach, describe, expect, it } from 'vitest';
import type { CoreServices } from '../../../bots/app-services.js';
import type { Embedder } from '../../../core/embedder.js';
import { openTestCore } from '../../helpers/core.js';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('ingest consistency', () => {
  let core: CoreServices | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
  });

  it('embeds nothing for an unchanged file, replaces exactly the chunks of a changed one', async () => {
    ({ core } = await openTestCore());
    const embedder = core.embedder as Embedder;
    let embedded = 0;
    const original = embedder.embed.bind(embedder);
    embedder.embed = async (texts, kind, signal) => {
      if (kind === 'passage') embedded += texts.length;
      return original(texts, kind, signal);
    };
    await core.kb.createKb('docs');
    const first = await core.kb.ingestUploads('docs', [
      { name: 'alpha.md', bytes: text('# Alpha\nThe alpha launch code is AURORA.') },
      { name: 'beta.txt', bytes: text('Beta release notes: the beta ships in March.') },
    ]);
    expect(first.ingested.sort()).toEqual(['alpha.md', 'beta.txt']);
    const afterFirst = embedded;
    expect(afterFirst).toBeGreaterThan(0);

    const again = await core.kb.ingestUploads('docs', [
      { name: 'alpha.md', bytes: text('# Alpha\nThe alpha launch code is AURORA.') },
    ]);
    expect(again.unchanged).toEqual(['alpha.md']);
    expect(embedded).toBe(afterFirst);

    await core.kb.ingestUploads('docs', [{ name: 'alpha.md', bytes: text('# Alpha\nThe alpha launch code is BOREALIS.') }]);
    const hits = await core.kb.search(['docs'], 'alpha launch code', { mode: 'bm25', topK: 10 });
    const alphaTexts = hits.filter((h) => h.chunk.meta.source === 'alpha.md').map((h) => h.chunk.text);
    expect(alphaTexts.join(' ')).toContain('BOREALIS');
    expect(alphaTexts.join(' ')).not.toContain('AURORA');
    expect(hits.some((h) => h.chunk.meta.source === 'beta.txt')).toBe(false);
    const betaHits = await core.kb.search(['docs'], 'beta ships in March', { mode: 'bm25' });
    expect(betaHits[0]?.chunk.meta.source).toBe('beta.txt');
    expect(await core.store.count('docs')).toBe(core.kb.listFiles('docs').reduce((n, f) => n + f.chunks, 0));
  });

  it('never returns a removed file again', async () => {
    ({ core } = await openTestCore());
    await core.kb.createKb('docs');
    await core.kb.ingestUploads('docs', [
      { name: 'keep.txt', bytes: text('The cafeteria opens at eight.') },
      { name: 'gone.txt', bytes: text('The cafeteria secret menu has dumplings.') },
    ]);
    expect(
      (await core.kb.search(['docs'], 'cafeteria dumplings', { mode: 'hybrid' })).some((h) => h.chunk.meta.source === 'gone.txt'),
    ).toBe(true);
    await core.kb.removeFile('docs', 'gone.txt');
    for (const mode of ['bm25', 'dense', 'hybrid'] as const) {
      const hits = await core.kb.search(['docs'], 'cafeteria secret menu dumplings', { mode, topK: 10 });
      expect(hits.map((h) => h.chunk.meta.source)).not.toContain('gone.txt');
    }
    expect(core.kb.listFiles('docs').map((f) => f.name)).toEqual(['keep.txt']);
  });

  it('fails bad files alone with a reason naming them; the rest is searchable', async () => {
    ({ core } = await openTestCore());
    await core.kb.createKb('mixed');
    const summary = await core.kb.ingestUploads('mixed', [
      { name: 'good.md', bytes: text('# Policy\nRemote work is allowed on Fridays.') },
      { name: 'broken.docx', bytes: Buffer.from('this is not a zip archive at all') },
      { name: 'empty.txt', bytes: Buffer.alloc(0) },
      { name: 'tool.exe', bytes: Buffer.from([0x4d, 0x5a, 0x90, 0x00]) },
      { name: '中文.txt', bytes: text('远程办公政策：每周五可以在家工作。') },
    ]);
    expect(summary.ingested.sort()).toEqual(['good.md', '中文.txt']);
    expect(summary.failed.map((f) => f.file).sort()).toEqual(['broken.docx', 'empty.txt', 'tool.exe']);
    for (const failure of summary.failed) {
      expect(failure.reason).toContain(failure.file);
      expect(failure.reason.split('\n')).toHaveLength(1);
    }
    expect(summary.failed.find((f) => f.file === 'tool.exe')?.code).toBe('FILE_UNSUPPORTED');
    expect(summary.failed.find((f) => f.file === 'empty.txt')?.code).toBe('FILE_EMPTY');
    const files = core.kb.listFiles('mixed');
    expect(files.find((f) => f.name === 'broken.docx')).toMatchObject({ status: 'failed' });
    expect((await core.kb.search(['mixed'], 'remote work Fridays', { mode: 'bm25' }))[0]?.chunk.meta.source).toBe('good.md');
    expect((await core.kb.search(['mixed'], '周五在家工作', { mode: 'bm25' }))[0]?.chunk.meta.source).toBe('中文.txt');
  });

  it('refuses an oversized file before parsing it, naming the limit', async () => {
    ({ core } = await openTestCore({ TEAMKB_MAX_FILE_BYTES: '1000' }));
    await core.kb.createKb('big');
    const summary = await core.kb.ingestUploads('big', [
      { name: 'huge.txt', bytes: Buffer.alloc(5000, 'a') },
      { name: 'small.txt', bytes: text('Small files are fine.') },
    ]);
    expect(summary.ingested).toEqual(['small.txt']);
    expect(summary.failed[0]).toMatchObject({ file: 'huge.txt', code: 'FILE_TOO_LARGE' });
    expect(summary.failed[0]?.reason).toMatch(/huge\.txt: .* over the .* limit/);
  });

  it('keyword-only KBs work without an embedder and gain vectors with reindex --recreate', async () => {
    const opened = await openTestCore({ TEAMKB_EMBEDDER: 'none' });
    core = opened.core;
    await core.kb.createKb('plain');
    expect(core.kb.getKb('plain')).toMatchObject({ embedder: 'none', dim: null });
    await core.kb.ingestUploads('plain', [{ name: 'a.txt', bytes: text('Invoices are paid within 30 days.') }]);
    expect((await core.kb.search(['plain'], 'invoices paid', { mode: 'hybrid' }))[0]?.chunk.meta.source).toBe('a.txt');
    await expect(core.kb.search(['plain'], 'invoices', { mode: 'dense' })).rejects.toThrow(/keyword-only/);
    await core.close();

    const { openCore } = await import('../../../bots/app-services.js');
    const { loadConfig } = await import('../../../core/config/load.js');
    core = await openCore(
      loadConfig({
        configDir: 'configs',
        env: { TEAMKB_DATA_DIR: opened.dataDir, TEAMKB_EMBEDDER: 'fake:256', TEAMKB_LLM: 'none', TEAMKB_LOG_LEVEL: 'silent' },
      }),
    );
    await expect(
      core.kb.ingestUploads('plain', [{ name: 'b.txt', bytes: text('Gardening notes about tulips and roses.') }]),
    ).resolves.toBeDefined();
    await core.kb.reindex('plain', { recreate: true });
    expect(core.kb.getKb('plain')).toMatchObject({ embedder: 'fake:256', dim: 256 });
    expect((await core.kb.search(['plain'], 'invoices paid', { mode: 'dense' }))[0]?.chunk.meta.source).toBe('a.txt');
  });
});
