import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatAdapter } from '../../core/chat.js';
import { RecordingRuntime } from '../helpers/recording-runtime.js';

/** What the bot made visible on the (fake) platform, rendered to plain text by the harness. */
export interface VisibleMessage {
  channel: string;
  thread?: string;
  text: string;
  /** Button values shown with the message. */
  buttons: string[];
}

/**
 * Drives one platform adapter through its real SDK against a loopback fake platform.
 * Each send* resolves once the platform considers the event delivered (acked).
 */
export interface AdapterHarness {
  adapter: ChatAdapter;
  sendMention(o: { text: string; channel: string; user: string }): Promise<void>;
  sendDm(o: { text: string; user: string }): Promise<void>;
  sendWithFile(o: { text: string; fileName: string; bytes: Buffer }): Promise<void>;
  sendCommand(o: { text: string }): Promise<void>;
  clickButton(o: { value: string; action: 'feedback' | 'confirm' | 'cancel' }): Promise<void>;
  /** Redelivers the last message event exactly as the platform would on a retry. */
  redeliverLast(): Promise<void>;
  visible(): VisibleMessage[];
  close(): Promise<void>;
}

async function until<T>(fn: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function chatAdapterContract(name: string, makeHarness: () => Promise<AdapterHarness>): void {
  describe(`ChatAdapter contract: ${name}`, () => {
    let h: AdapterHarness;
    let runtime: RecordingRuntime;
    beforeAll(async () => {
      h = await makeHarness();
      runtime = new RecordingRuntime();
      await h.adapter.start(runtime);
    });
    afterAll(async () => {
      await h.adapter.stop();
      await h.close();
    });

    const find = (pred: (m: VisibleMessage) => boolean, what: string) => until(() => h.visible().find(pred), what);

    it('answers a mention in the thread with the streamed text and a citation', async () => {
      await h.sendMention({ text: 'what is the answer?', channel: 'C1', user: 'U1' });
      const msg = await find((m) => m.text.includes('forty-two') && m.text.includes('guide.pdf'), 'final answer');
      expect(msg.channel).toBeTruthy();
      expect(msg.text).toMatch(/forty-two/);
      const ev = runtime.events.find((e) => e.kind === 'message' && e.text.includes('what is the answer'));
      expect(ev?.kind === 'message' && ev.text).toBe('what is the answer?');
      expect(ev?.isDm).toBe(false);
    });

    it('answers a direct message', async () => {
      await h.sendDm({ text: 'hello from a DM', user: 'U2' });
      await until(() => runtime.events.find((e) => e.kind === 'message' && e.text === 'hello from a DM'), 'dm event');
      const ev = runtime.events.find((e) => e.kind === 'message' && e.text === 'hello from a DM');
      expect(ev?.isDm).toBe(true);
      await until(() => (h.visible().filter((m) => m.text.includes('forty-two')).length >= 2 ? true : undefined), 'dm answer');
    });

    it('hands attachments to the runtime with their bytes', async () => {
      const bytes = Buffer.from('Quarterly report: revenue grew 12%.');
      await h.sendWithFile({ text: 'summarise this', fileName: 'report.txt', bytes });
      await find((m) => m.text.includes('report.txt'), 'answer naming the file');
      expect(runtime.attachmentBytes.some((b) => b.equals(bytes))).toBe(true);
    });

    it('routes the /kb command and shows the result', async () => {
      await h.sendCommand({ text: 'help' });
      await find((m) => m.text.includes('Command received: help'), 'command result');
    });

    it('shows confirm buttons and delivers the click', async () => {
      await h.sendCommand({ text: 'delete handbook' });
      const prompt = await find((m) => m.buttons.some((b) => b.includes('del:handbook')), 'confirm prompt');
      expect(prompt.buttons.join(' ')).toContain('del:handbook');
      await h.clickButton({ value: 'del:handbook', action: 'confirm' });
      await until(() => runtime.events.find((e) => e.kind === 'action' && e.action === 'confirm'), 'action event');
    });

    it('ignores a redelivered event', async () => {
      await h.sendMention({ text: 'only once please', channel: 'C1', user: 'U1' });
      await until(() => runtime.events.find((e) => e.kind === 'message' && e.text === 'only once please'), 'first delivery');
      const before = h.visible().length;
      await h.redeliverLast();
      await new Promise((r) => setTimeout(r, 300));
      expect(runtime.events.filter((e) => e.kind === 'message' && e.text === 'only once please')).toHaveLength(1);
      expect(h.visible().length).toBe(before);
    });

    it('shows errors to the user in words', async () => {
      await h.sendMention({ text: 'please fail', channel: 'C1', user: 'U1' });
      await find((m) => m.text.includes('Something went wrong') && m.text.includes('ref123'), 'error message');
    });
  });
}
