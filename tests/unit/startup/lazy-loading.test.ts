import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/shared.js';

/**
 * What a run never uses must not be loaded: model runtimes, OCR, parsers, store clients and
 * platform SDKs cost start-up time and hundreds of MB. Each check runs a real child process with
 * a module recorder preloaded and reads what it loaded.
 */
const HEAVY = [
  'node-llama-cpp',
  '@huggingface/transformers',
  'onnxruntime-node',
  '@gutenye/ocr-node',
  'sharp',
  '@lancedb/lancedb',
  'apache-arrow',
  '@zilliz/milvus2-sdk-node',
  '@slack/bolt',
  'discord.js',
  '@larksuiteoapi/node-sdk',
  '@mozilla/readability',
  'linkedom',
  'unpdf',
  'officeparser',
  '@e965/xlsx',
  'mailparser',
  'word-extractor',
  '@node-rs/jieba',
  '@langchain/core',
  '@langchain/langgraph',
  '@modelcontextprotocol/sdk',
  'undici',
];

/** `kb --help` prints from the command table alone: no configuration, database or progress bars. */
const HELP_NEEDS_NONE_OF = ['zod', 'yaml', 'dotenv', 'better-sqlite3', 'cli-progress', 'pino'];

/** What ingesting into the embedded store loads: a fresh server's sample ingest runs in a child process that takes them along. */
const STORE = ['@lancedb/lancedb', 'apache-arrow', '@node-rs/jieba'];

const recorder = join(ROOT, 'tests/unit/startup/record-modules.mjs');
const work = mkdtempSync(join(tmpdir(), 'teamkb-lazy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const baseEnv = (record: string): NodeJS.ProcessEnv => ({
  ...process.env,
  TEAMKB_RECORD_MODULES: record,
  TEAMKB_DATA_DIR: join(work, 'data'),
  TEAMKB_EMBEDDER: 'none',
  TEAMKB_LLM: 'none',
  TEAMKB_PULL: 'never',
  TEAMKB_LOG_LEVEL: 'warn',
  SLACK_BOT_TOKEN: '',
  DISCORD_TOKEN: '',
  FEISHU_APP_ID: '',
});

function heavyIn(record: string, allowed: string[] = [], heavy = HEAVY): string[] {
  const loaded = readFileSync(record, 'utf8');
  return heavy.filter((name) => !allowed.includes(name) && loaded.includes(`/node_modules/${name}/`));
}

describe('modules loaded by runs that do not need them', () => {
  for (const args of [['--help'], ['list']]) {
    it(`kb ${args.join(' ')} loads no model runtime, parser, store client or platform SDK`, () => {
      const record = join(work, `cli-${args[0]}.txt`);
      const res = spawnSync(process.execPath, ['--import', recorder, '--import', 'tsx', 'scripts/kb.ts', ...args], {
        cwd: ROOT,
        env: baseEnv(record),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(res.status, res.stderr).toBe(0);
      expect(readFileSync(record, 'utf8')).toContain('commander');
      expect(heavyIn(record)).toEqual([]);
      if (args[0] === '--help') expect(heavyIn(record, [], HELP_NEEDS_NONE_OF)).toEqual([]);
    });
  }

  it('a server with no models and no platforms answers /healthz without loading them', async () => {
    const record = join(work, 'server.txt');
    await withServer(record, async () => {
      expect(readFileSync(record, 'utf8')).toContain('fastify');
      expect(heavyIn(record)).toEqual([]);
    });
  });

  it('a first start ingests the sample KB without loading the store or the Chinese dictionary into the server', async () => {
    const record = join(work, 'first-start.txt');
    await withServer(record, async (port) => {
      const jobs = async (query = '') =>
        ((await (await fetch(`http://127.0.0.1:${port}/api/jobs${query}`)).json()) as { jobs: Array<{ status: string }> }).jobs;
      await expect.poll(async () => (await jobs()).map((j) => j.status), { timeout: 50_000, interval: 200 }).toEqual(['done']);
      expect(await jobs('?status=unfinished')).toEqual([]);
      // Only this process's modules: the ingest ran in a child that records nothing.
      expect(heavyIn(record, [], STORE)).toEqual([]);
      // The server opens the store the child wrote on its first search.
      const res = await fetch(`http://127.0.0.1:${port}/api/kb/samples/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'TeamKB' }),
      });
      expect(((await res.json()) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);
      expect(heavyIn(record, [], STORE)).toContain('@lancedb/lancedb');
    });
  });
});

/** Runs the server from its sources with the module recorder, on a fresh data folder, until `check` ends. */
async function withServer(record: string, check: (port: number) => Promise<void>): Promise<void> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ['--import', recorder, '--import', 'tsx', 'bots/main.ts'], {
    cwd: ROOT,
    env: { ...baseEnv(record), TEAMKB_PORT: String(port), TEAMKB_DATA_DIR: mkdtempSync(join(work, 'data-')) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  try {
    const deadline = Date.now() + 50_000;
    let ready = false;
    while (!ready && Date.now() < deadline && child.exitCode === null) {
      ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready, stderr).toBe(true);
    await check(port);
  } finally {
    child.kill('SIGTERM');
  }
}
