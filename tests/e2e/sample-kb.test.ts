import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerServiceFor, type CoreServices, openCore } from '../../bots/app-services.js';
import { SAMPLE_KB, sampleUploads } from '../../bots/samples.js';
import type { FinalAnswer } from '../../core/answer.js';
import { createLoaders } from '../../core/loaders/index.js';
import { sharedFixture } from '../helpers/shared.js';
import { testConfig } from './helpers/app.js';

/**
 * The sample knowledge base every fresh install starts with: each file is valid, and the first
 * questions a newcomer asks (English and Chinese) cite the passage that answers them.
 */
const QUESTIONS: Array<{ q: string; file: RegExp; says: string }> = [
  { q: 'How do I add TeamKB to a Slack channel?', file: /^faq\.csv$/, says: '/invite @TeamKB' },
  { q: 'Why did my upload fail?', file: /^faq\.csv$/, says: 'encrypted, corrupt, empty or unsupported' },
  { q: 'Does TeamKB need a GPU?', file: /^faq\.csv$/, says: 'It runs on a CPU with a small local model' },
  { q: 'Which file types are supported?', file: /^teamkb-user-guide\.md$/, says: 'PDF (scanned pages are read with OCR)' },
  { q: 'Can I chat with an attached PDF file?', file: /^teamkb-user-guide\.md$/, says: 'temporary knowledge base' },
  { q: 'The bot does not answer in a channel', file: /^troubleshooting\.txt$/, says: 'check that the app is a member' },
  { q: 'How do I bind a channel to a knowledge base?', file: /./, says: '/kb use <kb>' },
  { q: '如何让机器人只回答某个知识库的问题？', file: /./, says: '/kb use <知识库>' },
  { q: '回答里的 [1] 是什么意思？', file: /^faq\.csv$/, says: '这是引用编号' },
  { q: '上传失败怎么办？', file: /\.(md|csv)$/, says: '加密' },
  { q: '怎么和文件对话？', file: /^teamkb-使用指南\.md$/, says: '临时知识库' },
];

describe('the shipped sample files are valid', () => {
  const loaders = createLoaders({ ocrEngine: 'none' });
  it.each(sampleUploads().map((u) => u.name))('%s loads without warnings', async (name) => {
    const file = sampleUploads().find((u) => u.name === name);
    const doc = await loaders.load({ name, extension: name.split('.').pop() ?? '', bytes: file?.bytes ?? Buffer.alloc(0) });
    expect(doc.warnings ?? []).toEqual([]);
    const text = doc.blocks.map((b) => b.text).join('\n');
    if (name.endsWith('.csv')) {
      // Every row has exactly its three named columns: a stray comma would add a fourth.
      const rows = text.split('\n');
      expect(rows.length).toBeGreaterThanOrEqual(8);
      for (const row of rows) expect(row).toMatch(/^question: [^|]+ \| answer: [^|]+ \| category: (setup|ingest|models|usage)$/);
    }
    if (name.endsWith('.md')) expect(text).toMatch(/\/kb use <(kb|知识库)>/);
  });
});

const bge = sharedFixture('models/bge-small-zh-v1.5', 'sample KB answers with the real bge-small-zh embedder');
const MODES: Array<[string, string | undefined]> = [
  ['keyword-only', 'none'],
  ['hybrid, deterministic fake embedder', 'fake:64'],
  ['hybrid, bge-small-zh', bge ? `transformers:${bge}` : undefined],
];

describe.each(MODES)('newcomer questions cite the right sample passage (%s)', (_label, embedder) => {
  let core: CoreServices;
  let cleanup = () => {};
  beforeAll(async () => {
    if (!embedder) return;
    const made = testConfig({ TEAMKB_EMBEDDER: embedder, TEAMKB_LLM: 'none' });
    cleanup = made.cleanup;
    core = await openCore(made.config, { llms: true });
    await core.kb.createKb(SAMPLE_KB, { createdBy: 'teamkb' });
    const run = await core.kb.ingestUploads(SAMPLE_KB, sampleUploads());
    expect(run.failed).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    cleanup();
  });

  it.skipIf(!embedder).each(QUESTIONS)('$q', async ({ q, file, says }) => {
    let answer: FinalAnswer | undefined;
    for await (const part of answerServiceFor(core).answer({ mode: 'kb', question: q, kbs: [SAMPLE_KB] }))
      if (part.type === 'done') answer = part.answer;
    const first = answer?.citations[0];
    expect(first?.file).toMatch(file);
    const passage = await core.kb.passage(SAMPLE_KB, first?.chunkId ?? '');
    expect(passage?.text, `${q} cited ${first?.file} · ${passage?.section}`).toContain(says);
  });
});
