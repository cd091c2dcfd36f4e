import { pino } from 'pino';
import { createFeishuAdapter, type FeishuAdapter, type FeishuOptionsInput } from '../../../../adapters/feishu/index.js';
import type { AdapterHarness, VisibleMessage } from '../../../contract/chat-adapter.contract.js';
import { APP_ID, cardActionEvent, mentionEvent, messageEvent, messageIdOf, signedRequest } from './events.js';
import { mountRoutes, post } from './mount.js';
import { FakeOpenApi } from './open-api.js';

export const ENCRYPT_KEY = 'test-encrypt-key';
export const VERIFICATION_TOKEN = 'verification-token';

export interface FeishuHarness extends AdapterHarness {
  adapter: FeishuAdapter;
  fake: FakeOpenApi;
  /** Delivers any callback body the way the chosen transport does; resolves once acknowledged. */
  deliver(payload: Record<string, unknown>): Promise<{ status: number; body: string }>;
  webhookUrl?: string;
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Messages users send exist on the platform too (the bot replies to them, reads them, downloads from them). */
function registerUserMessage(fake: FakeOpenApi, payload: Record<string, unknown>): void {
  const message = (payload.event as { message?: Record<string, string> } | undefined)?.message;
  if (!message?.message_id || fake.messages.has(message.message_id)) return;
  fake.addUserMessage({
    id: message.message_id,
    chatId: message.chat_id ?? '',
    rootId: message.root_id,
    parentId: message.parent_id,
    msgType: message.message_type ?? 'text',
    content: message.content ?? '{}',
  });
}

/** Drives the real SDK-backed adapter against the fake Open API, over HTTP callbacks or the long connection. */
export async function makeFeishuHarness(
  mode: 'http' | 'ws',
  overrides: Partial<FeishuOptionsInput> = {},
): Promise<FeishuHarness> {
  const fake = new FakeOpenApi();
  await fake.start();
  const adapter = createFeishuAdapter(
    {
      mode,
      appId: APP_ID,
      appSecret: 'app-secret',
      domain: fake.url,
      encryptKey: ENCRYPT_KEY,
      verificationToken: VERIFICATION_TOKEN,
      updateIntervalMs: 40,
      uploadSettleMs: 80,
      rateLimitBudgetMs: 5_000,
      ...overrides,
    },
    pino({ level: process.env.TEAMKB_TEST_LOG ?? 'silent' }),
  );
  const mounted = mode === 'http' ? await mountRoutes(adapter.httpRoutes()) : undefined;
  const webhookUrl = mounted ? `${mounted.url}${adapter.options.eventsPath}` : undefined;
  let last: Record<string, unknown> | undefined;

  const deliver = async (payload: Record<string, unknown>) => {
    registerUserMessage(fake, payload);
    if (webhookUrl) {
      const { body, headers } = signedRequest(payload, ENCRYPT_KEY);
      return post(webhookUrl, body, headers);
    }
    await until(() => fake.ws.connected, 'the long connection');
    const ack = await fake.ws.push(payload);
    return { status: Number(ack.code), body: JSON.stringify(ack) };
  };
  // Acked first; then we also wait for the adapter to finish handling, because the contract finds
  // the confirm prompt by "has buttons and names the KB", which an earlier answer card matches too.
  const send = async (payload: Record<string, unknown>) => {
    last = payload;
    const res = await deliver(payload);
    if (res.status !== 200) throw new Error(`callback refused: ${res.status} ${res.body}`);
    await adapter.idle();
  };

  // Newest first: the contract looks prompts up with find(), and an earlier answer card also
  // shows buttons (👍/👎) and the KB name.
  const visible = (): VisibleMessage[] =>
    [...fake.botMessages()].reverse().map((m) => {
      const { text, buttons } = fake.render(m);
      return { channel: m.chatId, thread: m.rootId, text, buttons };
    });

  return {
    adapter,
    fake,
    deliver,
    webhookUrl,
    sendMention: (o) => send(mentionEvent(o.text, o.channel, o.user)),
    sendDm: (o) => send(messageEvent({ chatId: `oc_dm_${o.user}`, chatType: 'p2p', user: o.user, content: { text: o.text } })),
    async sendWithFile(o) {
      // A file message holds no text: the user sends the file, then asks while replying to it.
      const fileMessage = messageEvent({
        chatId: 'oc_files',
        messageType: 'file',
        content: { file_key: 'file_v3_k1', file_name: o.fileName },
      });
      const fileId = messageIdOf(fileMessage);
      fake.addUserMessage(
        {
          id: fileId,
          chatId: 'oc_files',
          msgType: 'file',
          content: JSON.stringify({ file_key: 'file_v3_k1', file_name: o.fileName }),
        },
        { file_v3_k1: o.bytes },
      );
      await send(fileMessage);
      await send(mentionEvent(o.text, 'oc_files', 'ou_user_1', { parentId: fileId, rootId: fileId }));
    },
    sendCommand: (o) => send(mentionEvent(`/kb ${o.text}`, 'oc_commands')),
    async clickButton(o) {
      // Feishu calls back with the value the button carries: the encoded action and value.
      const token = `tkb:${o.action}:${o.value}`;
      const message = fake.botMessages().find((m) => fake.render(m).buttons.includes(token));
      if (!message) throw new Error(`no message shows a button with value ${token}`);
      await send(cardActionEvent({ value: { teamkb: token }, chatId: message.chatId, messageId: message.id }));
    },
    async redeliverLast() {
      if (!last) throw new Error('nothing delivered yet');
      await send(last);
    },
    visible,
    async close() {
      await mounted?.close();
      await fake.close();
    },
  };
}
