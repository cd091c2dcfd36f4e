import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import { citationLinkFor } from '../../bots/app-services.js';
import { createAnswerService } from '../../core/answering/answer-service.js';
import type { IncomingEvent, ReplyPart } from '../../core/chat.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { askInPage, hasChromium, launchBrowser } from './helpers/browser.js';
import { messagesOf, type StreamedPart, sendMessage } from './helpers/conversation.js';
import { VPN_GUIDE } from './helpers/corpus.js';
import { createKbWithFiles } from './helpers/http.js';

/** Two models that sign their answers, citing the first passage when there is one. */
const signed = (name: string) =>
  createScriptedLlm((messages) => {
    const last = messages.at(-1)?.content ?? '';
    return /^\[1\] \(/m.test(last) ? `Answered by ${name} [1].` : `Answered by ${name}.`;
  });

const doneOf = (parts: StreamedPart[]) => parts.find((p) => p.event === 'done')?.data.answer;

describe('the model picked for a conversation answers every kind of request in it', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      runtime: true,
      answers: (core) =>
        createAnswerService({
          kb: core.kb,
          llms: [
            { name: 'alpha', llm: signed('alpha') },
            { name: 'beta', llm: signed('beta') },
          ],
          prompts: core.config.prompts,
          link: citationLinkFor(core.config),
        }),
    });
    await createKbWithFiles(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('web picker: file chat, /kb ask, /kb web-free questions and /kb model all use the picked model', async () => {
    const fileChat = await sendMessage(
      app.url,
      'pick',
      'What is the uptime?',
      [{ name: 'r.md', bytes: '# R\n\nUptime was 99.2 percent.' }],
      'beta',
    );
    expect(doneOf(fileChat.parts)).toMatchObject({ model: 'beta', mode: 'file' });
    const ask = await sendMessage(app.url, 'pick', '/kb ask handbook How often do I rotate the VPN key?', [], 'beta');
    expect(doneOf(ask.parts)).toMatchObject({ model: 'beta', markdown: expect.stringContaining('Answered by beta') });
    // The choice stays with the conversation, as `/kb model` would keep it.
    const plain = await sendMessage(app.url, 'pick', 'And the old key?');
    expect(doneOf(plain.parts)?.model).toBe('beta');
    expect(messagesOf((await sendMessage(app.url, 'pick', '/kb model')).parts)).toContain('**beta** (in use)');
    // Picking the default again switches back.
    expect(doneOf((await sendMessage(app.url, 'pick', '/kb ask handbook VPN key?', [], 'alpha')).parts)?.model).toBe('alpha');
    // Another conversation is not affected.
    expect(doneOf((await sendMessage(app.url, 'other', '/kb ask handbook VPN key?')).parts)?.model).toBe('alpha');
  });

  it('refuses a model that does not exist, in words', async () => {
    const { parts } = await sendMessage(app.url, 'bad', 'hello', [], 'gamma');
    const error = parts.find((p) => p.event === 'error')?.data;
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', message: expect.stringContaining('alpha, beta') });
  });

  it('chat: `/kb model` sent in a channel (a slash command, no thread) applies to the threads started there', async () => {
    const runtime = app.runtime;
    if (!runtime) throw new Error('runtime missing');
    const handle = async (event: Partial<IncomingEvent> & Pick<IncomingEvent, 'kind'>): Promise<ReplyPart[]> => {
      const parts: ReplyPart[] = [];
      await runtime.handle(
        {
          platform: 'slack',
          workspace: 'T1',
          channel: 'C1',
          user: 'U1',
          isDm: false,
          eventId: `${Math.random()}`,
          text: '',
          attachments: [],
          ...event,
        } as IncomingEvent,
        { write: async (p) => void parts.push(p), end: async () => undefined },
      );
      return parts;
    };
    await handle({ kind: 'command', text: 'model beta' });
    await handle({ kind: 'command', text: 'use handbook' });
    const answer = (await handle({ kind: 'message', messageId: 'M1', text: 'How often do I rotate the VPN key?' })).find(
      (p) => p.type === 'done',
    );
    expect(answer?.type === 'done' && answer.answer.model).toBe('beta');
    const thread = await handle({ kind: 'command', thread: 'M1', text: 'ask handbook VPN key?' });
    const inThread = thread.find((p) => p.type === 'done');
    expect(inThread?.type === 'done' && inThread.answer.model).toBe('beta');
  });

  it.skipIf(!hasChromium())('browser: conversation mode sends the picked model with each message', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(app.url);
      await expect.poll(() => page.locator('#model-select option').allTextContents()).toEqual(['alpha', 'beta']);
      await page.selectOption('#mode', 'conversation');
      await page.selectOption('#model-select', 'beta');
      const answer = await askInPage(page, '/kb ask handbook How often do I rotate the VPN key?');
      await expect.poll(() => answer.locator('.answer').first().textContent()).toContain('Answered by beta');
    } finally {
      await browser.close();
    }
  });
});
