import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../../adapters/models/catalog.js';
import { ensureCatalogModel } from '../../../adapters/models/catalog-pull.js';
import { downloadFile } from '../../../adapters/models/download.js';
import { isTeamKbError } from '../../../core/errors.js';
import { deadUrl, type Loopback, startLoopback } from './helpers/loopback.js';

const payload = randomBytes(300_000);
const payloadSha = createHash('sha256').update(payload).digest('hex');
let server: Loopback;

beforeAll(async () => {
  server = await startLoopback((req, res) => {
    if (req.path !== '/model.bin') {
      res.writeHead(404).end('not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
    const start = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, {
      'content-length': String(payload.length - start),
      ...(range ? { 'content-range': `bytes ${start}-${payload.length - 1}/${payload.length}` } : {}),
    });
    res.end(payload.subarray(start));
  });
});
afterAll(async () => {
  await server.close();
});

const tempDir = () => mkdtempSync(join(tmpdir(), 'teamkb-download-'));

describe('model download', () => {
  it('downloads, verifies the hash, reports progress and skips a file already in place', async () => {
    const dest = join(tempDir(), 'sub', 'model.bin');
    const progress: number[] = [];
    const result = await downloadFile({
      url: `${server.url}/model.bin`,
      dest,
      sha256: payloadSha,
      onProgress: (p) => progress.push(p.receivedBytes / (p.totalBytes ?? 1)),
    });
    expect(result).toMatchObject({ verified: true, alreadyPresent: false, sha256: payloadSha });
    expect(readFileSync(dest).equals(payload)).toBe(true);
    expect(progress.at(-1)).toBe(1);
    const again = await downloadFile({ url: `${server.url}/model.bin`, dest, sha256: payloadSha });
    expect(again.alreadyPresent).toBe(true);
  });

  it('resumes from a .part file with a Range request', async () => {
    const dest = join(tempDir(), 'model.bin');
    writeFileSync(`${dest}.part`, payload.subarray(0, 100_000));
    const before = server.seen.length;
    await downloadFile({ url: `${server.url}/model.bin`, dest, sha256: payloadSha });
    expect(server.seen[before]?.headers.range).toBe('bytes=100000-');
    expect(readFileSync(dest).equals(payload)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('rejects a hash mismatch, removes the bad file and says what to fetch', async () => {
    const dest = join(tempDir(), 'model.bin');
    const error = await downloadFile({ url: `${server.url}/model.bin`, dest, sha256: 'a'.repeat(64) }).catch((e: unknown) => e);
    expect(isTeamKbError(error, 'MODEL_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toContain('sha256 mismatch');
    expect((error as Error).message).toContain(`${server.url}/model.bin`);
    expect(existsSync(dest) || existsSync(`${dest}.part`)).toBe(false);
  });

  it('warns that it cannot verify a file without a published hash', async () => {
    const warnings: string[] = [];
    const dest = join(tempDir(), 'model.bin');
    const result = await downloadFile({
      url: `${server.url}/model.bin`,
      dest,
      sha256: null,
      logger: { info: () => {}, warn: (m) => warnings.push(m) },
    });
    expect(result.verified).toBe(false);
    expect(warnings.join()).toContain(`Cannot verify ${dest}`);
  });

  it('fails in words when the server is down or answers 404', async () => {
    const dest = join(tempDir(), 'model.bin');
    const url = `${await deadUrl()}/model.bin`;
    const down = await downloadFile({ url, dest, sha256: null }).catch((e: unknown) => e);
    expect(isTeamKbError(down, 'MODEL_DOWNLOAD_FAILED')).toBe(true);
    expect((down as Error).message).toBe(
      `Could not download ${url} (connection refused). Fetch it on a machine with internet access and save it as ${dest}, then start again.`,
    );
    const missing = await downloadFile({ url: `${server.url}/nope.bin`, dest, sha256: null }).catch((e: unknown) => e);
    expect((missing as Error).message).toContain('HTTP 404');
  });

  it('reports a host that does not resolve as offline / DNS failure', async () => {
    const dest = join(tempDir(), 'model.bin');
    const url = 'http://teamkb-model-host.invalid/model.bin';
    const error = await downloadFile({ url, dest, sha256: null }).catch((e: unknown) => e);
    expect(isTeamKbError(error, 'MODEL_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/offline|DNS/);
    expect((error as Error).message).toContain(dest);
  });

  it('pulls a missing catalog model when downloads are allowed, and refuses offline otherwise', async () => {
    const modelsDir = tempDir();
    const entry: CatalogEntry = {
      name: 'tiny-test-model',
      kind: 'llm',
      runtime: 'llama',
      size: '300 kB',
      licence: 'test',
      source: server.url,
      files: [{ path: 'tiny.gguf', url: `${server.url}/model.bin`, sha256: payloadSha }],
    };
    const offline = await ensureCatalogModel(entry, modelsDir).catch((e: unknown) => e);
    expect(isTeamKbError(offline, 'MODEL_NOT_FOUND')).toBe(true);
    expect((offline as Error).message).toContain(`${server.url}/model.bin -> ${join(modelsDir, 'tiny-test-model', 'tiny.gguf')}`);
    const path = await ensureCatalogModel(entry, modelsDir, { allowDownload: true });
    expect(path).toBe(join(modelsDir, 'tiny-test-model', 'tiny.gguf'));
    expect(readFileSync(path).equals(payload)).toBe(true);
  });
});
