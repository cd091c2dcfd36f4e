import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ReplyRenderer } from '../../../bots/reply/reply-renderer.js';
import type { FinalAnswer } from '../../../core/answer.js';
import type { EditOptions, MessageRef, MessageSurface, ReplyView, StreamHandle } from '../../../core/message-surface.js';

type Call = {
  op: 'post' | 'edit' | 'remove' | 'append' | 'stop' | 'start';
  id?: string;
  view?: ReplyView;
  text?: string;
  final?: boolean;
};

/** A platform that keeps its messages in memory and records every call. */
class FakeSurface implements MessageSurface {
  readonly calls: Call[] = [];
  readonly messages = new Map<string, ReplyView>();
  stream?: MessageSurface['stream'];
  private next = 0;

  constructor(readonly limits = { maxChars: 200, editIntervalMs: 30 }) {}

  async post(view: ReplyView): Promise<MessageRef> {
    const id = `m${this.next++}`;
    this.messages.set(id, view);
    this.calls.push({ op: 'post', id, view });
    return { id };
  }

  async edit(ref: MessageRef, view: ReplyView, o: EditOptions): Promise<void> {
    this.messages.set(ref.id, view);
    this.calls.push({ op: 'edit', id: ref.id, view, final: o.final });
  }

  async remove(ref: MessageRef): Promise<void> {
    this.messages.delete(ref.id);
    this.calls.push({ op: 'remove', id: ref.id });
  }

  /** Adds native streaming; `refuse` makes the platform turn the stream down. */
  withStream(refuse: boolean): this {
    this.stream = {
      start: async (into) => {
        this.calls.push({ op: 'start', id: into?.id });
        if (refuse) throw new Error('streaming not allowed');
        const ref = into ?? (await this.post({ kind: 'answer', markdown: '' }));
        const handle: StreamHandle = {
          ref,
          append: async (text) => void this.calls.push({ op: 'append', text }),
          stop: async (view) => {
            this.messages.set(ref.id, view);
            this.calls.push({ op: 'stop', id: ref.id, view });
          },
        };
        return handle;
      },
    };
    return this;
  }

  shown(): ReplyView[] {
    return [...this.messages.values()];
  }
}

const logger = pino({ level: 'silent' });
const answer = (markdown: string, extra: Partial<FinalAnswer> = {}): FinalAnswer => ({
  markdown,
  citations: [{ n: 1, file: 'guide.pdf', page: 3, snippet: '', kb: 'handbook', chunkId: 'c7' }],
  sources: ['handbook'],
  mode: 'kb',
  answerId: 'a1',
  ...extra,
});

async function streamWords(reply: ReplyRenderer, words: number, gapMs = 0): Promise<string> {
  let text = '';
  await reply.write({ type: 'status', text: 'Searching…' });
  for (let i = 0; i < words; i++) {
    const piece = `w${i} `;
    text += piece;
    await reply.write({ type: 'text', text: piece });
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  return text.trim();
}

describe('ReplyRenderer', () => {
  it('fills the placeholder with the streamed answer, edits throttled, and ends with citations, footer and buttons', async () => {
    const surface = new FakeSurface({ maxChars: 2000, editIntervalMs: 40 });
    const reply = new ReplyRenderer(surface, { logger, links: { publicUrl: 'https://kb.example.com' } });
    await reply.openPlaceholder();
    const started = Date.now();
    const text = await streamWords(reply, 30, 5);
    await reply.write({ type: 'done', answer: answer(`${text} [1]`) });
    await reply.end();
    const elapsed = Date.now() - started;
    expect(surface.calls.filter((c) => c.op === 'post')).toHaveLength(1);
    const interim = surface.calls.filter((c) => c.op === 'edit' && !c.final);
    // At most one intermediate edit per interval (plus the one allowed at once).
    expect(interim.length).toBeLessThanOrEqual(Math.ceil(elapsed / 40) + 1);
    expect(interim.length).toBeGreaterThan(0);
    const [final] = surface.shown();
    expect(final?.markdown).toContain('[1] [guide.pdf p.3](https://kb.example.com/kb/handbook/passages/c7)');
    expect(final?.footer).toBe('Sources: handbook · knowledge base');
    expect(final?.buttons?.map((b) => b.value)).toEqual(['a1:up', 'a1:down']);
  });

  it('splits a long answer at the surface limit; the footer and buttons close the last message', async () => {
    const surface = new FakeSurface({ maxChars: 120, editIntervalMs: 10 });
    const reply = new ReplyRenderer(surface, { logger });
    const long = Array.from({ length: 12 }, (_, i) => `Sentence ${i} of a long answer.`).join(' ');
    await reply.write({ type: 'done', answer: answer(long) });
    await reply.end();
    const shown = surface.shown();
    expect(shown.length).toBeGreaterThan(2);
    for (const view of shown) expect(view.markdown.length + (view.footer?.length ?? 0)).toBeLessThanOrEqual(120);
    expect(shown.slice(0, -1).every((v) => !v.footer && !v.buttons)).toBe(true);
    expect(shown.at(-1)?.buttons).toHaveLength(2);
    expect(shown.map((v) => v.markdown).join(' ')).toContain('Sentence 11');
    // Without a public URL a KB citation is a plain name: never a relative link.
    expect(shown.map((v) => v.markdown).join('\n')).toContain('[1] guide.pdf p.3');
  });

  it('streams natively into the placeholder and stops with the final view', async () => {
    const surface = new FakeSurface({ maxChars: 2000, editIntervalMs: 20 }).withStream(false);
    const reply = new ReplyRenderer(surface, { logger });
    await reply.openPlaceholder();
    const text = await streamWords(reply, 10, 3);
    await reply.write({ type: 'done', answer: answer(text) });
    await reply.end();
    expect(surface.calls.find((c) => c.op === 'start')?.id).toBe('m0');
    const appended = surface.calls
      .filter((c) => c.op === 'append')
      .map((c) => c.text)
      .join('');
    expect(appended.trim()).toBe(text);
    expect(surface.calls.filter((c) => c.op === 'edit')).toEqual([]);
    expect(surface.calls.find((c) => c.op === 'stop')?.view?.footer).toBe('Sources: handbook · knowledge base');
  });

  it('falls back to edits when the platform refuses the native stream', async () => {
    const surface = new FakeSurface({ maxChars: 2000, editIntervalMs: 20 }).withStream(true);
    const reply = new ReplyRenderer(surface, { logger });
    await reply.openPlaceholder();
    const text = await streamWords(reply, 10, 3);
    await reply.write({ type: 'done', answer: answer(text) });
    await reply.end();
    expect(surface.calls.some((c) => c.op === 'start')).toBe(true);
    expect(surface.calls.filter((c) => c.op === 'append')).toEqual([]);
    expect(surface.calls.filter((c) => c.op === 'post')).toHaveLength(1);
    expect(surface.shown()).toHaveLength(1);
    expect(surface.shown()[0]?.markdown).toContain(text);
  });

  it('removes an unused placeholder and shows an error in words', async () => {
    const surface = new FakeSurface();
    const silent = new ReplyRenderer(surface, { logger });
    await silent.openPlaceholder();
    await silent.end();
    expect(surface.shown()).toEqual([]);

    const failing = new ReplyRenderer(surface, { logger });
    await failing.write({ type: 'text', text: 'Half' });
    await failing.write({ type: 'error', code: 'LLM', message: 'The model stopped.', ref: 'r1' });
    await failing.end();
    expect(surface.shown().at(-1)?.markdown).toBe('Half\n\n⚠️ The model stopped. (ref `r1`)');
  });
});
