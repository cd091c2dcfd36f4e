import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDiscord } from '../../tests/unit/discord/fake/fake-discord.js';
import { interactionBase, userMessageCreate } from '../../tests/unit/discord/fake/payloads.js';
import { nextSnowflake } from '../../tests/unit/discord/fake/snowflake.js';
import type { FakeChannel } from '../../tests/unit/discord/fake/world.js';

/**
 * Discord's side of the benchmark (run in a child process so it does not share the adapter's
 * event loop): the fake platform plus a load generator that replays events and times acks.
 */
export class DiscordSide {
  private fake!: FakeDiscord;
  private channel!: FakeChannel;
  private readonly batches = new Map<string, { ids: string[]; sentAt: Map<string, number> }>();

  async start(): Promise<{ apiUrl: string; gatewayUrl: string; token: string; applicationId: string }> {
    this.fake = await new FakeDiscord().start();
    const guildId = this.fake.world.idFor('guild');
    this.channel = this.fake.channel({ id: this.fake.world.idFor('general'), type: 0, name: 'general', guildId });
    return {
      apiUrl: this.fake.apiUrl,
      gatewayUrl: this.fake.gatewayUrl,
      token: this.fake.token,
      applicationId: this.fake.applicationId,
    };
  }

  /** Sends `count` `/kb ask` interactions `intervalMs` apart; resolves with each one's ack latency (ms). */
  async replayCommands(batch: string, count: number, intervalMs: number): Promise<number[]> {
    await this.fake.gateway.identified;
    await this.fake.announce(this.channel.id);
    const { ids, sentAt } = this.newBatch(batch);
    for (let i = 0; i < count; i++) {
      const id = nextSnowflake();
      const token = `token-${id}`;
      ids.push(id);
      this.fake.world.interactions.set(id, {
        id,
        token,
        channelId: this.channel.id,
        guildId: this.channel.guildId,
        callbacks: [],
      });
      const body = {
        ...interactionBase({
          id,
          token,
          applicationId: this.fake.applicationId,
          channel: this.channel,
          user: { id: '1000', username: 'u' },
        }),
        type: 2,
        data: {
          id: '1',
          name: 'kb',
          type: 1,
          options: [{ type: 1, name: 'ask', options: [{ type: 3, name: 'question', value: `q ${i}` }] }],
        },
      };
      sentAt.set(id, performance.now());
      await this.fake.gateway.dispatch('INTERACTION_CREATE', body);
      await sleep(intervalMs);
    }
    await this.until(() => ids.every((id) => this.fake.ackedAt(id) !== undefined), 30_000);
    return ids.map((id) => (this.fake.ackedAt(id) ?? Number.NaN) - (sentAt.get(id) as number));
  }

  /** Sends mentions; resolves with the time until each one's first visible bot message (ms). */
  async replayMentions(batch: string, count: number, intervalMs: number): Promise<number[]> {
    await this.fake.announce(this.channel.id);
    const { ids, sentAt } = this.newBatch(batch);
    for (let i = 0; i < count; i++) {
      const id = nextSnowflake();
      ids.push(id);
      const d = userMessageCreate({
        id,
        channel: this.channel,
        author: { id: '1000', username: 'u' },
        content: `<@${this.fake.botId}> question ${i}`,
        mentions: [this.fake.world.bot],
      });
      sentAt.set(id, performance.now());
      await this.fake.gateway.dispatch('MESSAGE_CREATE', d);
      await sleep(intervalMs);
    }
    const first = (id: string) => this.fake.botMessages().find((m) => m.channelId === id)?.createdAt;
    await this.until(() => ids.every((id) => first(id) !== undefined), 30_000);
    return ids.map((id) => (first(id) ?? Number.NaN) - (sentAt.get(id) as number));
  }

  /** How many of a batch's events show a finished answer (with its sources line). */
  answered(batch: string): number {
    const ids = this.batches.get(batch)?.ids ?? [];
    const done = new Set(
      this.fake
        .botMessages()
        .filter((m) => m.content.includes('-# Sources'))
        .map((m) => m.interactionId ?? m.channelId),
    );
    return ids.filter((id) => done.has(id)).length;
  }

  restCalls(): number {
    return this.fake.rest.calls.length;
  }

  async stop(): Promise<void> {
    await this.fake.stop();
  }

  private newBatch(batch: string) {
    const entry = { ids: [] as string[], sentAt: new Map<string, number>() };
    this.batches.set(batch, entry);
    return entry;
  }

  private async until(done: () => boolean, ms: number): Promise<void> {
    const end = performance.now() + ms;
    while (!done() && performance.now() < end) await sleep(10);
  }
}
