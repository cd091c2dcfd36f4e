import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../../core/chat.js';
import { makeBot } from './setup.js';

const event = (eventId: string, platform = 'memory'): IncomingMessage => ({
  kind: 'message',
  platform,
  workspace: 'W1',
  channel: 'C1',
  user: 'U1',
  isDm: false,
  eventId,
  messageId: `msg-${eventId}`,
  text: 'what is the answer?',
  attachments: [],
});

const count = (bot: Awaited<ReturnType<typeof makeBot>>, table: string) =>
  (bot.db.get(`SELECT COUNT(*) AS n FROM ${table}`) as { n: number }).n;

describe('event dedupe', () => {
  it('handles a redelivered event once: no parts, no answer request, no stored turn', async () => {
    const bot = await makeBot();
    const first = await bot.chat.deliver(event('E1'));
    const second = await bot.chat.deliver(event('E1'));
    expect(first.parts.length).toBeGreaterThan(0);
    expect(second.parts).toEqual([]);
    expect(bot.answers.requests).toHaveLength(1);
    expect(count(bot, 'runtime_turns')).toBe(1);
    await bot.close();
  });

  it('treats the same id from another platform as a different event', async () => {
    const bot = await makeBot();
    await bot.chat.deliver(event('E1'));
    const other = await bot.chat.deliver(event('E1', 'slack'));
    expect(other.text()).toContain('forty-two');
    await bot.close();
  });

  it('drops concurrent redeliveries too', async () => {
    const bot = await makeBot();
    const replies = await Promise.all([
      bot.chat.deliver(event('E2')),
      bot.chat.deliver(event('E2')),
      bot.chat.deliver(event('E2')),
    ]);
    expect(replies.filter((r) => r.parts.length > 0)).toHaveLength(1);
    await bot.close();
  });

  it('forgets ids after the window (purged, and a late redelivery counts as new)', async () => {
    const bot = await makeBot({ dedupeWindowMinutes: 10 });
    await bot.chat.deliver(event('E3'));
    bot.advance(9 * 60_000);
    expect((await bot.chat.deliver(event('E3'))).parts).toEqual([]);
    bot.advance(2 * 60_000);
    await bot.runtime.purgeExpired();
    expect(count(bot, 'runtime_seen_events')).toBe(0);
    expect((await bot.chat.deliver(event('E3'))).parts.length).toBeGreaterThan(0);
    await bot.close();
  });

  it('survives a runtime restart on the same database', async () => {
    const bot = await makeBot();
    await bot.chat.deliver(event('E4'));
    const { createBotRuntime } = await import('../../../bots/runtime/create-runtime.js');
    const again = createBotRuntime({ ...bot.runtime.services, db: bot.db });
    const parts: unknown[] = [];
    await again.handle(event('E4'), { write: async (p) => void parts.push(p), end: async () => undefined });
    expect(parts).toEqual([]);
    again.close();
    await bot.close();
  });
});
