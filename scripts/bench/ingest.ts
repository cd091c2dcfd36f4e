import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createEmbedder } from '../../adapters/models/create-embedder.js';
import { createFakeEmbedder } from '../../adapters/models/embedder-fake.js';
import type { Embedder } from '../../core/embedder.js';
import type { IngestInput } from '../../core/ingest/types.js';
import {
  CHATCHAT_CONTENT,
  FIXTURE_EMBEDDER_DIR,
  generatedCorpus,
  type IngestMeasure,
  ingestNaively,
  ingestWithPipeline,
  listFiles,
  totalBytes,
} from './_ingest-run.js';
import { BENCH_ROOT, loadNote } from './_kb-fixture.js';
import type { BenchFn, BenchReport, BenchRow } from './harness.js';

/** Langchain-Chatchat's own reported figure for its sample KB (a constant, not measured here). */
const CHATCHAT_REPORTED = { chunks: 740, seconds: 149.7 };
const OVERHEAD_TARGET = 10;

const pct = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : 0);

/** The fastest of `runs` runs (the least disturbed by other work on the machine). */
async function fastest(runs: number, measure: () => Promise<IngestMeasure>): Promise<IngestMeasure> {
  let best: IngestMeasure | undefined;
  for (let i = 0; i < runs; i++) {
    const m = await measure();
    if (!best || m.wall < best.wall) best = m;
  }
  return best as IngestMeasure;
}

function describe(label: string, m: IngestMeasure): string {
  const t = m.times;
  return (
    `${label}: ${m.files} files, ${m.chunks} chunks in ${m.wall.toFixed(2)} s; stage seconds (summed over files) ` +
    `parse ${t.parse.toFixed(2)}, split ${t.split.toFixed(2)}, embed ${t.embed.toFixed(2)}, store ${t.store.toFixed(2)}; ` +
    `model busy ${m.model.toFixed(2)} s` +
    (m.failed.length > 0 ? `; failed: ${m.failed.join('; ')}` : '')
  );
}

function stageRows(label: string, m: IngestMeasure): BenchRow[] {
  const sum = m.times.parse + m.times.split + m.times.embed + m.times.store;
  return (['parse', 'split', 'embed', 'store'] as const).map((stage) => ({
    name: `${label}: ${stage} share`,
    value: pct(m.times[stage], sum),
    unit: '% of stage time',
  }));
}

/**
 * Ingests the Chatchat sample KB (or a generated corpus) through the real pipeline: with the fake
 * embedder (pipeline alone) and with bge-small-zh (when present), against a naive sequential
 * pipeline timed in the same run and Chatchat's reported figure.
 */
export const run: BenchFn = async ({ quick }): Promise<BenchReport> => {
  const report: BenchReport = { name: 'ingest', rows: [], notes: [loadNote()] };
  let inputs: IngestInput[];
  let cleanup: () => void = () => undefined;
  if (existsSync(CHATCHAT_CONTENT)) {
    inputs = listFiles(CHATCHAT_CONTENT);
    report.notes.push(
      `corpus: Chatchat sample KB, ${inputs.length} files, ${(totalBytes(inputs) / 1024).toFixed(0)} KiB (${CHATCHAT_CONTENT})`,
    );
  } else {
    const generated = generatedCorpus(quick ? 10 : 40, 20_000);
    inputs = generated.inputs;
    cleanup = generated.cleanup;
    report.notes.push(`corpus: generated markdown, ${inputs.length} files (the Chatchat sample KB was not found)`);
  }
  try {
    const fake = createFakeEmbedder(512);
    await ingestWithPipeline(inputs, fake); // warm-up: every loader compiled, store opened once
    if (quick) {
      const prose = inputs.filter((i) => /\.(md|txt)$/.test(i.name));
      if (prose.length > 0) inputs = prose;
      report.notes.push(
        `--quick: only the ${inputs.length} .md/.txt files are measured, and the naive bge-small-zh run is skipped`,
      );
    }
    const oursFake = await fastest(quick ? 1 : 3, () => ingestWithPipeline(inputs, fake));
    const naiveFake = await ingestNaively(inputs, fake); // one store write per chunk: slow, once is enough
    report.notes.push(describe('ours, fake embedder', oursFake), describe('naive, fake embedder', naiveFake));
    report.rows.push(
      { name: 'fake embedder: chunks', value: oursFake.chunks, unit: 'chunks' },
      {
        name: 'fake embedder: wall (pipeline alone)',
        value: oursFake.wall,
        unit: 's',
        baseline: naiveFake.wall,
        baselineName: 'naive sequential',
      },
      {
        name: 'fake embedder: chunks/s',
        value: oursFake.chunks / oursFake.wall,
        unit: 'chunks/s',
        baseline: naiveFake.chunks / naiveFake.wall,
        baselineName: 'naive sequential',
      },
      ...stageRows('fake embedder', oursFake),
    );

    let real: Embedder | null = null;
    if (existsSync(FIXTURE_EMBEDDER_DIR)) {
      real = await createEmbedder(`transformers:${FIXTURE_EMBEDDER_DIR}`, { modelsDir: resolve(BENCH_ROOT, 'models') });
    } else report.notes.push(`bge-small-zh not found at ${FIXTURE_EMBEDDER_DIR}: real-embedder rows skipped`);
    if (real) {
      await real.embed(['预热'], 'passage');
      const ours = await ingestWithPipeline(inputs, real);
      report.notes.push(describe('ours, bge-small-zh', ours));
      const overhead = pct(ours.wall - ours.model, ours.wall);
      report.rows.push(
        { name: 'bge-small-zh: files', value: ours.files, unit: 'files' },
        { name: 'bge-small-zh: chunks', value: ours.chunks, unit: 'chunks' },
        { name: 'bge-small-zh: wall', value: ours.wall, unit: 's' },
        {
          name: 'bge-small-zh: chunks/s',
          value: ours.chunks / ours.wall,
          unit: 'chunks/s',
          baseline: CHATCHAT_REPORTED.chunks / CHATCHAT_REPORTED.seconds,
          baselineName: 'Chatchat reported, constant',
        },
        ...stageRows('bge-small-zh', ours),
        {
          name: 'bge-small-zh: pipeline overhead (wall − model compute)',
          value: overhead,
          unit: '% of wall',
          target: `<= ${OVERHEAD_TARGET} %`,
          met: overhead <= OVERHEAD_TARGET,
        },
      );
      if (!quick) {
        const naive = await ingestNaively(inputs, real);
        report.notes.push(describe('naive, bge-small-zh', naive));
        report.rows.push({
          name: 'bge-small-zh: wall vs naive',
          value: ours.wall,
          unit: 's',
          baseline: naive.wall,
          baselineName: 'naive sequential',
        });
      }
      await real.close?.();
    }
    report.notes.push(
      `Chatchat reference: ${CHATCHAT_REPORTED.chunks} chunks in ${CHATCHAT_REPORTED.seconds} s as reported by Langchain-Chatchat for its sample KB (other machine and settings; a constant, not measured here)`,
      'overhead = share of wall time the embedding model was not computing (parsing, splitting, storing, waiting); stage shares sum per-file stage times, which overlap in wall time with parallel parsing',
    );
  } finally {
    cleanup();
  }
  return report;
};
