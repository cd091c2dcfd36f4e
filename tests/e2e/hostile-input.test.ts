import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kbFolder } from '../../core/kb/folders.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import {
  deepJson,
  docxWithLyingSizes,
  docxWithManyEntries,
  htmlOnlyEmail,
  nestedHtml,
  pdfWithHugeStream,
  protoSpreadsheet,
  wideHtml,
  xlsxWithManyEntries,
} from './helpers/hostile-files.js';
import { call, followJob, type Json, upload } from './helpers/http.js';

const MB = 1024 * 1024;
/** Tight limits so small generated files reach them quickly. */
const LIMITS = {
  parseWorkers: 2,
  parseTimeoutSeconds: 30,
  parseHeapMb: 128,
  htmlMaxElements: 5_000,
  htmlMaxDepth: 64,
  pdfMaxInflatedBytes: 4 * MB,
  archiveMaxEntries: 100,
  archiveMaxInflatedBytes: 4 * MB,
  jsonMaxDepth: 32,
};
/** Resident memory the whole suite may add to the test process (workers included). */
const RSS_GROWTH_BOUND_MB = 400;
const KB = 'hostile';

describe('hostile uploads fail alone and leave the server responsive', { timeout: 180_000 }, () => {
  let app: TestApp;
  let rssBefore = 0;
  beforeAll(async () => {
    app = await startTestApp({
      configure: (config) => {
        config.kb.limits = { ...config.kb.limits, ...LIMITS };
      },
    });
    expect((await call(app.url, 'POST', '/api/kb', { name: KB })).status).toBe(201);
    rssBefore = process.memoryUsage().rss;
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Uploads files and follows the job while probing /healthz; returns the summary and every probe's status. */
  async function ingestWhileProbing(files: Array<{ name: string; bytes: Uint8Array | string }>) {
    const accepted = await upload(app.url, KB, files);
    expect(accepted.status).toBe(202);
    let finished = false;
    const probes: number[] = [];
    const probing = (async () => {
      do {
        const res = await fetch(`${app.url}/healthz`);
        await res.text();
        probes.push(res.status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      } while (!finished);
    })();
    const events = await followJob(app.url, accepted.body.events);
    finished = true;
    await probing;
    const done = events.find((event) => event.type === 'done');
    expect(done, JSON.stringify(events)).toBeDefined();
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((status) => status === 200)).toBe(true);
    return done!.summary as { ingested: string[]; failed: Array<{ file: string; code: string; reason: string }> };
  }

  const failureOf = (summary: { failed: Array<{ file: string; code: string; reason: string }> }, file: string) =>
    summary.failed.find((failure) => failure.file === file);

  it('reads deeply nested and very wide HTML and an HTML-only e-mail as plain text, beside a normal file', async () => {
    const summary = await ingestWhileProbing([
      { name: 'nested.html', bytes: nestedHtml(5_000) },
      { name: 'wide.html', bytes: wideHtml(6_000) },
      { name: 'nested-mail.eml', bytes: htmlOnlyEmail(5_000) },
      { name: 'plain.txt', bytes: 'An ordinary note about the quarterly budget review.' },
    ]);
    expect(summary.failed).toEqual([]);
    expect(summary.ingested.sort()).toEqual(['nested-mail.eml', 'nested.html', 'plain.txt', 'wide.html']);
    const hits = await call(app.url, 'POST', `/api/kb/${KB}/search`, { query: 'invoice total e-mail body', mode: 'bm25' });
    expect(hits.body.hits.map((hit: Json) => hit.source)).toContain('nested-mail.eml');
    const nested = await call(app.url, 'POST', `/api/kb/${KB}/search`, { query: 'deeply nested words survive', mode: 'bm25' });
    expect(nested.body.hits[0]?.source).toBe('nested.html');
  });

  it('refuses amplifying files before parsing, each alone and naming its limit', async () => {
    const summary = await ingestWhileProbing([
      { name: 'bomb.pdf', bytes: pdfWithHugeStream(8 * MB) },
      { name: 'padded.xlsx', bytes: xlsxWithManyEntries(60, 100 * 1024) },
      { name: 'crowded.docx', bytes: docxWithManyEntries(150) },
      { name: 'lying.docx', bytes: docxWithLyingSizes(64 * 1024) },
      { name: 'deep.json', bytes: deepJson(500) },
      { name: 'fine.txt', bytes: 'The fine file still arrives whatever its neighbours do.' },
    ]);
    expect(summary.ingested).toEqual(['fine.txt']);
    expect(failureOf(summary, 'bomb.pdf')).toMatchObject({
      code: 'FILE_TOO_LARGE',
      reason: expect.stringContaining('kb.limits.pdfMaxInflatedBytes'),
    });
    expect(failureOf(summary, 'padded.xlsx')).toMatchObject({
      code: 'FILE_TOO_LARGE',
      reason: expect.stringContaining('kb.limits.archiveMaxInflatedBytes'),
    });
    expect(failureOf(summary, 'crowded.docx')).toMatchObject({
      code: 'FILE_TOO_LARGE',
      reason: expect.stringContaining('kb.limits.archiveMaxEntries'),
    });
    expect(failureOf(summary, 'lying.docx')).toMatchObject({
      code: 'FILE_CORRUPT',
      reason: expect.stringContaining('expands beyond the size its archive declares'),
    });
    expect(failureOf(summary, 'deep.json')).toMatchObject({
      code: 'FILE_TOO_LARGE',
      reason: expect.stringContaining('kb.limits.jsonMaxDepth'),
    });
  });

  it('reads a spreadsheet of __proto__ keys as text without polluting any prototype', async () => {
    const summary = await ingestWhileProbing([{ name: 'proto.xlsx', bytes: protoSpreadsheet() }]);
    expect(summary.ingested).toEqual(['proto.xlsx']);
    const hits = await call(app.url, 'POST', `/api/kb/${KB}/search`, { query: 'Prototype keys stay plain text', mode: 'bm25' });
    const hit = hits.body.hits.find((h: Json) => h.source === 'proto.xlsx');
    expect(hit?.text).toContain('__proto__');
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('normalises long, decomposed and direction-override file names; the stored name is the one shown', async () => {
    const long = `${'a'.repeat(250)}.txt`;
    const summary = await ingestWhileProbing([
      { name: long, bytes: 'A file with a very long name.' },
      { name: 'Cafe\u0301 menu.txt', bytes: 'Coffee and cake prices.' },
      { name: 'invoice\u202Egpj.txt', bytes: 'Not an image, whatever the name pretends.' },
    ]);
    expect(summary.failed).toEqual([]);
    const shortened = summary.ingested.find((name) => name.startsWith('aaa'));
    expect(shortened).toMatch(/^a+~\.txt$/);
    expect(Buffer.byteLength(shortened!)).toBeLessThanOrEqual(200);
    expect(summary.ingested).toContain('Caf\u00e9 menu.txt');
    expect(summary.ingested).toContain('invoicegpj.txt');
    const listed = (await call(app.url, 'GET', `/api/kb/${KB}/files`)).body.files.map((f: Json) => f.name);
    expect(listed).toEqual(expect.arrayContaining([shortened, 'Caf\u00e9 menu.txt', 'invoicegpj.txt']));
  });

  it('resolves ten concurrent uploads of one name to one consistent version, never a 500', async () => {
    const versions = Array.from({ length: 10 }, (_, i) => `Version ${i} of the shared file carries token v${i}token.`);
    const accepted = await Promise.all(versions.map((text) => upload(app.url, KB, [{ name: 'same.txt', bytes: text }])));
    expect(accepted.map((a) => a.status)).toEqual(versions.map(() => 202));
    const results = await Promise.all(accepted.map((a) => followJob(app.url, a.body.events)));
    for (const events of results) expect(events.at(-1)?.type).toBe('done');

    const file = app.core.registry.getFile(KB, 'same.txt');
    const onDisk = readFileSync(join(app.core.kb.contentDir(KB), 'same.txt'));
    expect(file?.status).toBe('ready');
    expect(versions).toContain(onDisk.toString());
    expect(file?.sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
    const token = /v\d+token/.exec(onDisk.toString())![0];
    const hits = await call(app.url, 'POST', `/api/kb/${KB}/search`, { query: token, mode: 'bm25' });
    const texts = hits.body.hits.filter((h: Json) => h.source === 'same.txt').map((h: Json) => h.text);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toContain(token);
  });

  it('clears uploads an earlier process abandoned in staging', async () => {
    const { staging } = kbFolder(app.core.filesDir, KB);
    mkdirSync(staging, { recursive: true });
    const abandoned = join(staging, 'left-by-a-crash.upload');
    writeFileSync(abandoned, 'half an upload');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(abandoned, twoDaysAgo, twoDaysAgo);
    await ingestWhileProbing([{ name: 'later.txt', bytes: 'A later upload tidies the staging folder.' }]);
    expect(existsSync(abandoned)).toBe(false);
  });

  it('leaves nothing on disk outside the registry and keeps memory growth bounded', () => {
    const kbDir = kbFolder(app.core.filesDir, KB).root;
    const contentDir = join(kbDir, 'content');
    const onDisk = listFiles(contentDir).map((path) => relative(contentDir, path).split('\\').join('/'));
    const registered = app.core.registry.listFiles(KB).map((file) => file.name);
    expect(onDisk.sort()).toEqual(registered.sort());
    expect(listFiles(kbDir).filter((path) => !path.startsWith(contentDir))).toEqual([]);
    const growthMb = (process.memoryUsage().rss - rssBefore) / MB;
    expect(growthMb).toBeLessThan(RSS_GROWTH_BOUND_MB);
  });
});

function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
