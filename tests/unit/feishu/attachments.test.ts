import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../../core/chat.js';
import { isTeamKbError } from '../../../core/errors.js';
import { type MessageSpec, mentionEvent, messageEvent, messageIdOf } from './fake/events.js';
import { type FeishuHarness, makeFeishuHarness } from './fake/harness.js';
import { fetchAttachments, ScriptedRuntime } from './fake/scripted-runtime.js';

let h: FeishuHarness | undefined;
afterEach(async () => {
  await h?.adapter.stop();
  await h?.close();
  h = undefined;
});

async function start(overrides = {}, runtime = new ScriptedRuntime(fetchAttachments)) {
  h = await makeFeishuHarness('http', overrides);
  await h.adapter.start(runtime);
  return { h, runtime };
}

/** Sends a file message whose bytes the fake serves through the message-resource API. */
async function sendFile(harness: FeishuHarness, spec: Partial<MessageSpec> & { chatId: string }, name: string, bytes: Buffer) {
  const key = `file_${name}`;
  const event = messageEvent({ messageType: 'file', content: { file_key: key, file_name: name }, ...spec });
  const id = messageIdOf(event);
  harness.fake.addUserMessage(
    { id, chatId: spec.chatId, msgType: 'file', content: JSON.stringify({ file_key: key, file_name: name }) },
    { [key]: bytes },
  );
  await harness.deliver(event);
  return id;
}

const texts = (harness: FeishuHarness) => harness.visible().map((m) => m.text);

describe('Feishu attachments and /kb upload', () => {
  it('collects files sent after /kb upload into one upload command', async () => {
    const { h, runtime } = await start();
    await h.deliver(mentionEvent('/kb upload handbook', 'oc_up', 'ou_admin'));
    await h.adapter.idle();
    expect(texts(h).join('\n')).toContain('Send the file(s) for **handbook** now');
    await sendFile(h, { chatId: 'oc_up', user: 'ou_admin' }, 'a.txt', Buffer.from('alpha'));
    await sendFile(h, { chatId: 'oc_up', user: 'ou_admin' }, 'b.txt', Buffer.from('bravo!'));
    await sendFile(h, { chatId: 'oc_up', user: 'ou_someone_else' }, 'c.txt', Buffer.from('ignored'));
    await new Promise((r) => setTimeout(r, 150)); // the settle window (80 ms in the harness)
    await h.adapter.idle();
    const commands = runtime.events.filter((e): e is Extract<IncomingEvent, { kind: 'command' }> => e.kind === 'command');
    expect(commands).toHaveLength(1);
    expect(commands[0]?.text).toBe('upload handbook');
    expect(commands[0]?.attachments.map((a) => a.name)).toEqual(['a.txt', 'b.txt']);
    expect(texts(h)).toContain('command: upload handbook | files: a.txt (5 bytes), b.txt (6 bytes)');
  });

  it('accepts a file sent as a reply to the upload command even after the window', async () => {
    const { h, runtime } = await start({ uploadWindowMs: 1 });
    const command = mentionEvent('/kb upload handbook', 'oc_up', 'ou_admin');
    await h.deliver(command);
    await h.adapter.idle();
    await new Promise((r) => setTimeout(r, 5));
    await sendFile(h, { chatId: 'oc_up', user: 'ou_admin' }, 'late.txt', Buffer.from('late'));
    await sendFile(h, { chatId: 'oc_up', user: 'ou_admin', parentId: messageIdOf(command) }, 'reply.txt', Buffer.from('reply'));
    await new Promise((r) => setTimeout(r, 150));
    await h.adapter.idle();
    const upload = runtime.events.find((e) => e.kind === 'command' && e.attachments.length > 0);
    expect(upload?.kind === 'command' && upload.attachments.map((a) => a.name)).toEqual(['reply.txt']);
  });

  it('attaches the replied-to file to a command or question', async () => {
    const { h } = await start();
    const fileId = await sendFile(h, { chatId: 'oc_q' }, 'spec.md', Buffer.from('# Spec'));
    await h.deliver(mentionEvent('/kb upload handbook', 'oc_q', 'ou_user_1', { parentId: fileId, rootId: fileId }));
    await h.adapter.idle();
    expect(texts(h)).toContain('command: upload handbook | files: spec.md (6 bytes)');
  });

  it('hands a file sent alone in a direct chat to the runtime', async () => {
    const { h, runtime } = await start();
    await sendFile(h, { chatId: 'oc_dm', chatType: 'p2p' }, 'notes.txt', Buffer.from('dm file'));
    await h.adapter.idle();
    expect(runtime.events[0]).toMatchObject({ kind: 'message', text: '', isDm: true });
    expect(texts(h)).toContain('message:  | files: notes.txt (7 bytes)');
  });

  it('takes images from image and post messages, named by their real type', async () => {
    const { h } = await start();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const event = mentionEvent('x', 'oc_img', 'ou_user_1', {
      messageType: 'post',
      content: {
        title: '',
        content: [
          [
            { tag: 'at', user_id: '@_user_1' },
            { tag: 'text', text: ' what is in this picture?' },
          ],
          [{ tag: 'img', image_key: 'img_k' }],
        ],
      },
    });
    h.fake.resources.set(`${messageIdOf(event)}/img_k`, jpeg);
    await h.deliver(event);
    await h.adapter.idle();
    expect(texts(h)).toContain('message: what is in this picture? | files: image_img_k.jpg (7 bytes)');
    expect(h.fake.callsTo(/resources\/img_k$/)[0]?.query.get('type')).toBe('image');
  });

  it('stops a download past the size limit with FILE_TOO_LARGE', async () => {
    let error: unknown;
    const runtime = new ScriptedRuntime(async (event) => {
      if (event.kind === 'action') return;
      try {
        await event.attachments[0]?.fetch();
      } catch (err) {
        error = err;
      }
    });
    const { h } = await start({ maxFileBytes: 10 }, runtime);
    await sendFile(h, { chatId: 'oc_dm2', chatType: 'p2p' }, 'big.bin', Buffer.alloc(11));
    await h.adapter.idle();
    expect(isTeamKbError(error, 'FILE_TOO_LARGE')).toBe(true);
    expect((error as Error).message).toContain('big.bin');
  });

  it('ignores group files nobody asked for', async () => {
    const { h, runtime } = await start();
    await sendFile(h, { chatId: 'oc_busy' }, 'random.pdf', Buffer.from('%PDF'));
    await h.adapter.idle();
    expect(runtime.events).toEqual([]);
    expect(h.visible()).toEqual([]);
  });
});
