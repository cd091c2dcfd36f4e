import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentFileRef } from '../../../adapters/discord/attachments.js';
import { isTeamKbError } from '../../../core/errors.js';
import { FakeDiscord } from './fake/fake-discord.js';
import { nextSnowflake } from './fake/snowflake.js';
import { type DiscordHarness, makeDiscordHarness, until } from './harness.js';
import { ScriptedRuntime } from './scripted-runtime.js';

describe('attachment downloads', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await new FakeDiscord().start();
  });
  afterAll(() => fake.stop());

  it('downloads the bytes from the CDN URL', async () => {
    const bytes = Buffer.from('季度报告：收入增长 12%。');
    const served = fake.serveFile('report.txt', bytes);
    const ref = attachmentFileRef({ name: 'report.txt', url: served.url, size: served.size, contentType: 'text/plain' }, 1024);
    expect(ref).toMatchObject({ name: 'report.txt', size: bytes.length, mimeType: 'text/plain' });
    expect((await ref.fetch()).equals(bytes)).toBe(true);
  });

  it('refuses a file whose declared size is over the limit without downloading it', async () => {
    const served = fake.serveFile('huge.pdf', Buffer.alloc(10), 5_000_000);
    const before = fake.cdnRequests.length;
    const err = await attachmentFileRef({ name: 'huge.pdf', url: served.url, size: served.size }, 1_000_000)
      .fetch()
      .catch((e: unknown) => e);
    expect(isTeamKbError(err, 'FILE_TOO_LARGE')).toBe(true);
    expect((err as Error).message).toContain('huge.pdf');
    expect(fake.cdnRequests.length).toBe(before);
  });

  it('stops a download that turns out larger than the limit', async () => {
    const served = fake.serveFile('liar.bin', Buffer.alloc(300_000), 10);
    const err = await attachmentFileRef({ name: 'liar.bin', url: served.url, size: 10 }, 100_000)
      .fetch()
      .catch((e: unknown) => e);
    expect(isTeamKbError(err, 'FILE_TOO_LARGE')).toBe(true);
  });

  it('names the file when the CDN does not have it', async () => {
    const err = await attachmentFileRef(
      { name: 'gone.pdf', url: `${fake.apiUrl.replace('/api', '')}/cdn/attachments/1/gone.pdf` },
      100,
    )
      .fetch()
      .catch((e: unknown) => e);
    expect(isTeamKbError(err, 'FILE_NOT_FOUND')).toBe(true);
    expect((err as Error).message).toContain('gone.pdf');
  });
});

describe('attachments through the adapter', () => {
  let h: DiscordHarness;
  const runtime = new ScriptedRuntime();
  beforeAll(async () => {
    h = await makeDiscordHarness({ adapter: { maxFileBytes: 1000 } });
    runtime.script = async (event, reply) => {
      if (event.kind === 'action') return;
      try {
        const sizes = await Promise.all(event.attachments.map(async (a) => `${a.name}=${(await a.fetch()).length}`));
        await reply.write({ type: 'message', markdown: `${event.text} got ${sizes.join(', ')}` });
      } catch (err) {
        await reply.write({ type: 'error', code: 'FILE_TOO_LARGE', message: (err as Error).message, ref: 'att-1' });
      }
    };
    await h.adapter.start(runtime);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await h.close();
  });

  it('passes the attachment option of /kb upload as a FileRef', async () => {
    const served = h.fake.serveFile('policy.md', Buffer.from('# Leave policy\n'));
    const id = nextSnowflake();
    const attachment = {
      id,
      filename: 'policy.md',
      size: served.size,
      url: served.url,
      proxy_url: served.url,
      content_type: 'text/markdown',
    };
    await h.sendKb({
      subcommand: 'upload',
      options: [
        { name: 'kb', type: 3, value: 'handbook' },
        { name: 'file', type: 11, value: id },
      ],
      attachments: { [id]: attachment },
    });
    await until(() => h.visible().find((m) => m.text === 'upload handbook got policy.md=15'), 'upload result');
    expect(runtime.last('command')?.attachments[0]).toMatchObject({ name: 'policy.md', mimeType: 'text/markdown' });
  });

  it('shows the size limit to the user when a message attachment is too large', async () => {
    const served = h.fake.serveFile('big.pdf', Buffer.alloc(5000));
    const attachment = {
      id: nextSnowflake(),
      filename: 'big.pdf',
      size: served.size,
      url: served.url,
      content_type: 'application/pdf',
    };
    await h.sendUserMessage({ channel: h.textChannel('general'), content: 'summarise this', attachments: [attachment] });
    const shown = await until(() => h.visible().find((m) => m.text.includes('att-1')), 'error');
    expect(shown.text).toBe('⚠️ big.pdf is larger than the 1000 bytes limit (at least 4.9 KB). (ref `att-1`)');
  });
});
