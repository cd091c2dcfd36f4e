import { describe, expect, it } from 'vitest';
import type { JobProgressView } from '../../../core/chat.js';
import { fileRef } from '../../helpers/memory-adapter.js';
import { ADMIN, makeBot } from './setup.js';

const good = (name: string) => fileRef(name, Buffer.from(`Contents of ${name}, long enough for two chunks of fake text.`));
const progressOf = (parts: { type: string }[]) =>
  parts.filter((p): p is { type: 'progress'; progress: JobProgressView } => p.type === 'progress').map((p) => p.progress);

describe('/kb upload', () => {
  it('ingests the good files, names the corrupt one with its reason, and shows progress then a summary', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    const attachments = [good('a.md'), fileRef('broken.pdf', Buffer.from('%PDF CORRUPT')), good('b.md')];
    const reply = await bot.chat.command('upload handbook', { ...ADMIN, attachments });

    expect(bot.kb.listFiles('handbook').map((f) => f.name)).toEqual(['a.md', 'b.md']);
    const summary = reply.parts.at(-1);
    expect(summary?.type).toBe('message');
    const text = summary?.type === 'message' ? summary.markdown : '';
    expect(text).toContain('**Upload to handbook finished**');
    expect(text).toContain('Ingested (2): a.md, b.md');
    expect(text).toContain('Failed (1):');
    expect(text).toContain('broken.pdf — broken.pdf is damaged and cannot be read (FILE_CORRUPT)');

    const progress = progressOf(reply.parts);
    expect(progress[0]).toMatchObject({ kb: 'handbook', filesDone: 0, filesTotal: 3 });
    expect(progress.at(-1)).toMatchObject({
      filesDone: 3,
      filesTotal: 3,
      failed: 1,
      summary: expect.stringContaining('2 ingested'),
    });
    expect(new Set(progress.map((p) => p.jobId)).size).toBe(1);
    await bot.close();
  });

  it('throttles progress to one part per second of the clock (first and final always shown)', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    const attachments = Array.from({ length: 10 }, (_, i) => good(`f${i}.md`));
    const reply = await bot.chat.command('upload handbook', { ...ADMIN, attachments });
    // The fake clock does not move during the upload: only the first and the final update show.
    expect(progressOf(reply.parts)).toHaveLength(2);
    await bot.close();
  });

  it('shows every update when they are a second apart', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    const ingest = bot.kb.ingestUploads.bind(bot.kb);
    bot.kb.ingestUploads = (kb, files, opts) =>
      ingest(kb, files, {
        ...opts,
        onProgress: (p) => {
          bot.advance(1000);
          opts?.onProgress?.(p);
        },
      });
    const reply = await bot.chat.command('upload handbook', { ...ADMIN, attachments: [good('a.md'), good('b.md')] });
    // start, before a.md, before b.md, all done, final summary
    expect(progressOf(reply.parts).map((p) => p.filesDone)).toEqual([0, 0, 1, 2, 2]);
    await bot.close();
  });

  it('reports files that failed to download and still ingests the rest', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    const lost = fileRef('lost.docx', new Error('HTTP 404 from the platform'));
    const reply = await bot.chat.command('upload handbook', { ...ADMIN, attachments: [lost, good('a.md')] });
    expect(reply.text()).toContain('lost.docx — could not be downloaded: HTTP 404 from the platform (DOWNLOAD_FAILED)');
    expect(bot.kb.listFiles('handbook').map((f) => f.name)).toEqual(['a.md']);
    await bot.close();
  });

  it('reports when every download failed, without ingesting', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    const reply = await bot.chat.command('upload handbook', { ...ADMIN, attachments: [fileRef('x.pdf', new Error('timeout'))] });
    expect(reply.text()).toMatch(/Failed \(1\):\n {2}• x\.pdf — could not be downloaded: timeout/);
    expect(progressOf(reply.parts).at(-1)).toMatchObject({ failed: 1, filesTotal: 1 });
    await bot.close();
  });

  it('lists unchanged files on a repeated upload', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    await bot.chat.command('upload handbook', { ...ADMIN, attachments: [good('a.md')] });
    const again = await bot.chat.command('upload handbook', { ...ADMIN, attachments: [good('a.md')] });
    expect(again.text()).toContain('Unchanged (1): a.md');
    await bot.close();
  });

  it('asks for attachments when there are none, and names unknown KBs', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    expect((await bot.chat.command('upload handbook', ADMIN)).text()).toContain(
      'Attach one or more files to `/kb upload handbook`',
    );
    expect((await bot.chat.command('upload handbok', { ...ADMIN, attachments: [good('a.md')] })).text()).toContain(
      'No knowledge base named "handbok". Did you mean "handbook"?',
    );
    await bot.close();
  });

  it('shows running jobs in /kb status', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    bot.kb.pause = gate;
    const upload = bot.chat.command('upload handbook', { ...ADMIN, attachments: [good('a.md')] });
    await new Promise((r) => setImmediate(r));
    const [job] = bot.kb.listJobs({ unfinished: true });
    expect((await bot.chat.command('status')).text()).toContain(
      `upload to **handbook**: 0/1 files, 0 chunks (job ${job?.id.slice(0, 8)})`,
    );
    release();
    await upload;
    expect((await bot.chat.command('status')).text()).toContain('Jobs: none running');
    await bot.close();
  });
});
