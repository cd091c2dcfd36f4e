import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { interactionBase } from './fake/payloads.js';
import { nextSnowflake } from './fake/snowflake.js';
import { type DiscordHarness, makeDiscordHarness, until } from './harness.js';
import { ScriptedRuntime } from './scripted-runtime.js';

describe('discord interactions', () => {
  let h: DiscordHarness;
  const runtime = new ScriptedRuntime();
  const ADMIN_ROLE = '700000000000000001';

  beforeAll(async () => {
    h = await makeDiscordHarness();
    h.fake.world.roles.set(h.guildId, [ADMIN_ROLE]);
    await h.adapter.start(runtime);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await h.close();
  });
  beforeEach(() => {
    runtime.script = async (event, reply) => {
      if (event.kind === 'action') {
        await reply.write({
          type: 'message',
          markdown: `Recorded ${event.action} ${event.value}`,
          ephemeral: event.action === 'feedback',
        });
        return;
      }
      if (event.kind === 'command' && event.text.startsWith('delete') && !event.roles?.includes(ADMIN_ROLE)) {
        await reply.write({
          type: 'error',
          code: 'PERMISSION_DENIED',
          message: 'Only KB admins may delete "handbook".',
          ref: 'perm-1',
        });
        return;
      }
      if (event.kind === 'command' && event.text.startsWith('delete')) {
        await reply.write({
          type: 'buttons',
          markdown: 'Delete **handbook**?',
          buttons: [
            { label: 'Delete', action: 'confirm', value: 'tok-1', style: 'danger' },
            { label: 'Cancel', action: 'cancel', value: 'tok-1' },
          ],
        });
        return;
      }
      await reply.write({ type: 'text', text: 'An answer.' });
      await reply.write({
        type: 'done',
        answer: { markdown: 'An answer.', citations: [], sources: ['handbook'], mode: 'kb', answerId: 'ans-77' },
      });
    };
  });

  const kbOption = { name: 'kb', type: 3, value: 'handbook' };

  it('suggests knowledge-base names while typing, best prefix first', async () => {
    const channel = h.textChannel('general');
    const id = nextSnowflake();
    const body = {
      ...interactionBase({ id, token: `token-${id}`, applicationId: h.fake.applicationId, channel, user: h.user('U1') }),
      type: 4,
      data: {
        id: '1',
        name: 'kb',
        type: 1,
        options: [{ type: 1, name: 'ask', options: [{ type: 3, name: 'kb', value: 'o', focused: true }] }],
      },
    };
    await h.sendInteraction(body, channel);
    const callback = await until(() => h.fake.world.interactions.get(id)?.callbacks[0], 'autocomplete answer');
    expect(callback).toEqual({
      type: 8,
      data: {
        choices: [
          { name: 'onboarding', value: 'onboarding' },
          { name: 'handbook', value: 'handbook' },
          { name: 'hr-policies', value: 'hr-policies' },
        ],
      },
    });
    expect(runtime.events).toHaveLength(0);
  });

  it('shows a permission denial from the runtime in the command reply', async () => {
    await h.sendKb({ subcommand: 'delete', options: [kbOption] });
    const shown = await until(() => h.visible().find((m) => m.text.includes('perm-1')), 'denial');
    expect(shown.text).toBe('⚠️ Only KB admins may delete "handbook". (ref `perm-1`)');
    expect(runtime.last('command')).toMatchObject({ text: 'delete handbook', roles: [], isDm: false });
  });

  it('delivers a confirm click, acknowledged with deferUpdate, and takes the buttons off the prompt', async () => {
    const interactionId = await h.sendKb({ subcommand: 'delete', options: [kbOption], roles: [ADMIN_ROLE] });
    expect(runtime.last('command')?.roles).toEqual([ADMIN_ROLE]);
    expect(h.fake.world.interactions.get(interactionId)?.callbacks.map((c) => c.type)).toEqual([5]);
    await until(() => h.visible().find((m) => m.buttons.includes('tok-1')), 'prompt');
    await h.clickButton({ action: 'confirm', value: 'tok-1' });
    await until(() => h.visible().find((m) => m.text === 'Recorded confirm tok-1'), 'action reply');
    expect(runtime.last('action')).toMatchObject({ action: 'confirm', value: 'tok-1' });
    const click = [...h.fake.world.interactions.values()].at(-1);
    expect(click?.callbacks.map((c) => c.type)).toEqual([6]);
    await until(
      () => h.visible().find((m) => m.text === 'Delete **handbook**?' && m.buttons.length === 0),
      'prompt without buttons',
    );
  });

  it('records a feedback vote and thanks the voter privately', async () => {
    await h.sendKb({ subcommand: 'ask', options: [kbOption, { name: 'question', type: 3, value: 'what now?' }] });
    await until(() => h.visible().find((m) => m.buttons.includes('ans-77:up')), 'answer with feedback buttons');
    await h.clickButton({ action: 'feedback', value: 'ans-77:down' });
    const thanks = await until(() => h.fake.botMessages().find((m) => m.content === 'Recorded feedback ans-77:down'), 'thanks');
    expect(thanks.flags & 64).toBe(64);
    expect(h.visible().find((m) => m.text.startsWith('An answer.'))?.buttons).toEqual(['ans-77:up', 'ans-77:down']);
  });

  it('leaves other applications’ buttons alone', async () => {
    const channel = h.textChannel('general');
    const id = nextSnowflake();
    const before = runtime.events.length;
    const body = {
      ...interactionBase({ id, token: `token-${id}`, applicationId: h.fake.applicationId, channel, user: h.user('U1') }),
      type: 3,
      data: { custom_id: 'click_one', component_type: 2 },
      message: { id: nextSnowflake(), channel_id: channel.id, content: 'x', author: { id: '1', username: 'x' }, components: [] },
    };
    h.fake.world.interactions.set(id, { id, token: `token-${id}`, channelId: channel.id, callbacks: [] });
    await h.fake.gateway.dispatch('INTERACTION_CREATE', body);
    await h.sendKb({ subcommand: 'help' });
    expect(runtime.events.length).toBe(before + 1);
    expect(h.fake.world.interactions.get(id)?.callbacks).toEqual([]);
  });
});
