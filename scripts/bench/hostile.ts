import { createAnswerService } from '../../core/answering/answer-service.js';
import { createLoaderPool, DEFAULT_POOL } from '../../core/loaders/pool/loader-pool.js';
import {
  deepJson,
  docxWithLyingSizes,
  htmlOnlyEmail,
  nestedHtml,
  pdfWithHugeStream,
  wideHtml,
  xlsxWithManyEntries,
} from '../../tests/e2e/helpers/hostile-files.js';
import { benchLlm } from './_answer-client.js';
import { startServer, timeChat } from './_http.js';
import { loadNote, openSyntheticKb, shippedPrompts } from './_kb-fixture.js';
import type { BenchFn, BenchReport } from './harness.js';
import { percentile } from './harness.js';

const MB = 1024 * 1024;
const PROBE_GAP_MS = 10;
const TARGET_P99_MS = 100;

/** The files from the attack reports, at their reported sizes (production limits apply). */
function hostileBatch(): Array<{ name: string; bytes: Buffer }> {
  return [
    { name: 'nested-300k.html', bytes: Buffer.from(nestedHtml(300_000)) },
    { name: 'nested-16k.html', bytes: Buffer.from(nestedHtml(16_000)) },
    { name: 'wide.html', bytes: Buffer.from(wideHtml(200_000)) },
    { name: 'nested-mail.eml', bytes: Buffer.from(htmlOnlyEmail(100_000)) },
    { name: 'flate-400mb.pdf', bytes: pdfWithHugeStream(400 * MB) },
    { name: 'entries-45x9.9mb.xlsx', bytes: xlsxWithManyEntries(45, Math.round(9.9 * MB)) },
    { name: 'lying.docx', bytes: docxWithLyingSizes(8 * MB) },
    { name: 'deep.json', bytes: Buffer.from(deepJson(200_000)) },
  ];
}

interface Phase {
  health: number[];
  chat: number[];
  errors: number;
}

/**
 * /healthz and chat answer latency through the real HTTP server, first idle, then while batches
 * of hostile files are uploaded and ingested over and over (worker pool with production limits).
 */
export const run: BenchFn = async ({ quick }): Promise<BenchReport> => {
  const probes = quick ? 300 : 1000;
  const chats = quick ? 8 : 24;
  const report: BenchReport = { name: 'hostile', rows: [], notes: [loadNote()] };
  const loader = createLoaderPool({ ocrEngine: 'none' });
  const fixture = await openSyntheticKb(2_000, { questions: chats, loader });
  await fixture.kb.createKb('uploads');
  const answers = createAnswerService({
    kb: fixture.kb,
    llms: [{ name: 'fake', llm: benchLlm(40, 2) }],
    prompts: shippedPrompts(),
  });
  const server = await startServer(fixture.kb, answers, fixture.registry);
  const batch = hostileBatch();
  const batchBytes = batch.reduce((sum, file) => sum + file.bytes.length, 0);

  const measurePhase = async (): Promise<Phase> => {
    const phase: Phase = { health: [], chat: [], errors: 0 };
    const probing = (async () => {
      for (let i = 0; i < probes; i++) {
        const started = performance.now();
        const res = await fetch(`${server.url}/healthz`).catch(() => undefined);
        await res?.text();
        if (res?.status !== 200) phase.errors++;
        phase.health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
      }
    })();
    const chatting = (async () => {
      for (let i = 0; i < chats; i++) {
        const timing = await timeChat(server.url, {
          mode: 'kb',
          question: fixture.questions[i % fixture.questions.length],
          kbs: [fixture.name],
        });
        if (timing.error) phase.errors++;
        phase.chat.push(timing.total);
      }
    })();
    await Promise.all([probing, chatting]);
    phase.health.sort((a, b) => a - b);
    phase.chat.sort((a, b) => a - b);
    return phase;
  };

  // Workers start once (their start-up is not what is measured) and every code path is warm.
  await ingest(server.url, [{ name: 'warm.txt', bytes: Buffer.from('warm-up') }]);
  await ingest(server.url, [{ name: 'warm2.txt', bytes: Buffer.from('warm-up') }]);
  const idle = await measurePhase();

  let stop = false;
  const outcomes: Record<string, string> = {};
  let batches = 0;
  const ingesting = (async () => {
    while (!stop) {
      const summary = await ingest(server.url, batch);
      batches++;
      for (const failure of summary.failed) outcomes[failure.file] = `${failure.code}: ${failure.reason}`;
      for (const name of summary.ingested) outcomes[name] = 'ingested';
    }
  })();
  const hostile = await measurePhase();
  stop = true;
  await ingesting;
  await server.stop();
  await loader.close();
  await fixture.close();

  const row = (name: string, value: number, baseline: number, target?: string, met?: boolean) =>
    report.rows.push({ name, value, unit: 'ms', baseline, baselineName: 'idle, same run', target, met });
  const idleH99 = percentile(idle.health, 99);
  const hostileH99 = percentile(hostile.health, 99);
  row('/healthz p50 during hostile ingestion', percentile(hostile.health, 50), percentile(idle.health, 50));
  row(
    '/healthz p99 during hostile ingestion',
    hostileH99,
    idleH99,
    `< ${TARGET_P99_MS} ms and <= 2x idle`,
    hostileH99 < TARGET_P99_MS && hostileH99 <= 2 * idleH99,
  );
  row('chat answer p50 during hostile ingestion', percentile(hostile.chat, 50), percentile(idle.chat, 50));
  row('chat answer p99 during hostile ingestion', percentile(hostile.chat, 99), percentile(idle.chat, 99));
  report.rows.push({
    name: 'errors (healthz + chat), hostile / idle',
    value: hostile.errors,
    unit: 'count',
    baseline: idle.errors,
  });
  report.notes.push(
    `${probes} /healthz probes ${PROBE_GAP_MS} ms apart and ${chats} chat answers (fake LLM, 40 words at 2 ms) per phase, over a 2,000-chunk KB.`,
    `Hostile phase: ${batches} batch(es) of ${batch.length} files (${(batchBytes / MB).toFixed(1)} MB) uploaded over HTTP and ingested while measuring; pool of ${DEFAULT_POOL.workers} workers, ${DEFAULT_POOL.timeoutMs / 1000} s / ${DEFAULT_POOL.heapMb} MB limits.`,
    ...Object.entries(outcomes).map(([file, outcome]) => `${file}: ${outcome}`),
  );
  return report;
};

async function ingest(url: string, files: Array<{ name: string; bytes: Buffer }>) {
  const form = new FormData();
  for (const file of files) form.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
  const res = await fetch(`${url}/api/kb/uploads/files`, { method: 'POST', body: form });
  const accepted = (await res.json()) as { events?: string };
  if (res.status !== 202 || !accepted.events) throw new Error(`upload refused: HTTP ${res.status} ${JSON.stringify(accepted)}`);
  const events = await fetch(`${url}${accepted.events}`);
  const text = await events.text();
  const done = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!)).find((e) => e.type === 'done');
  if (!done) throw new Error(`ingest did not finish: ${text.slice(0, 300)}`);
  return done.summary as { ingested: string[]; failed: Array<{ file: string; code: string; reason: string }> };
}
