import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFixture } from '../../helpers/shared.js';
import { type DiscordHarness, makeDiscordHarness, until } from './harness.js';
import { ScriptedRuntime } from './scripted-runtime.js';

/** Recorded payloads from ../shared/fixtures/platforms/discord (see PROVENANCE.md there), read in place. */
const fixture = (name: string) => sharedFixture(`platforms/discord/${name}`, `recorded Discord payload ${name}`);
const paths = {
  ready: fixture('gateway_ready.json'),
  mention: fixture('gateway_message_create_guild_user_mention.json'),
  plain: fixture('gateway_message_create_guild_plain.json'),
  slash: fixture('gateway_interaction_create_slash_command_options_resolved.json'),
  group: fixture('gateway_interaction_create_subcommand_group.json'),
  button: fixture('interaction_message_component_button.json'),
  upload: fixture('interaction_modal_submit_file_upload.data.json'),
  message: fixture('message_object_docs_example.json'),
};
// biome-ignore lint/suspicious/noExplicitAny: recorded JSON is read as-is and edited field by field
const read = (path: string | undefined): any => JSON.parse(readFileSync(path as string, 'utf8'));
const frameData = (path: string | undefined) => read(path).d;

/** Interaction fields Discord has sent since these 2021 recordings were made (current discord.js requires them). */
const CURRENT_INTERACTION_FIELDS = {
  entitlements: [],
  authorizing_integration_owners: {},
  app_permissions: '2248473465835073',
  locale: 'en-US',
};
const modern = <T extends object>(interaction: T) => ({ ...CURRENT_INTERACTION_FIELDS, ...interaction });

/** The user mentioned in the recorded mention plays the bot, so the recording needs no edits. */
const MENTIONED_USER = '135347310845624320';

describe.skipIf(!paths.ready || !paths.mention)('discord recorded payloads', () => {
  let h: DiscordHarness;
  const runtime = new ScriptedRuntime();

  beforeAll(async () => {
    h = await makeDiscordHarness({ fake: { botId: MENTIONED_USER, readyFixture: paths.ready } });
    runtime.script = async (event, reply) => {
      for (const a of event.kind === 'action' ? [] : event.attachments) await a.fetch();
      await reply.write({ type: 'message', markdown: `handled ${event.eventId}` });
    };
    await h.adapter.start(runtime);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await h.close();
  });

  /** Declares the recorded guild channel and the member's roles in the fake, as Discord would have them cached. */
  function place(d: { channel_id: string; guild_id: string; member?: { roles: string[] } }) {
    h.fake.world.roles.set(d.guild_id, [...(h.fake.world.roles.get(d.guild_id) ?? []), ...(d.member?.roles ?? [])]);
    return h.fake.channel({ id: d.channel_id, type: 0, name: 'recorded', guildId: d.guild_id });
  }
  const handled = (eventId: string) =>
    until(() => h.visible().find((m) => m.text === `handled ${eventId}`), `reply to ${eventId}`);

  it('connects with the recorded READY and answers the recorded mention in a thread', async () => {
    const d = frameData(paths.mention);
    place(d);
    await h.fake.announce(d.channel_id);
    await h.fake.gateway.dispatch('MESSAGE_CREATE', d);
    const shown = await handled(d.id);
    expect(shown.thread).toBe(d.id);
    expect(runtime.last('message')).toMatchObject({
      text: 'Is there some way to keep the dev bot up 24/7 with out inconveniencing you,?',
      user: '54351326674432000',
      workspace: '452526315288133644',
      channel: '452526315288133646',
      roles: ['728362120059682948', '731882893961592992'],
    });
  });

  it.skipIf(!paths.plain)('ignores the recorded guild message that does not mention the bot', async () => {
    const d = frameData(paths.plain);
    place(d);
    await h.fake.announce(d.channel_id);
    await h.fake.gateway.dispatch('MESSAGE_CREATE', d);
    const marker = await h.sendUserMessage({ channel: h.fake.world.channels.get(d.channel_id) as never, content: 'marker' });
    await handled(marker);
    expect(runtime.events.some((e) => e.eventId === d.id)).toBe(false);
  });

  it.skipIf(!paths.slash || !paths.group)(
    'reads a recorded slash-command envelope carrying /kb, and ignores other commands',
    async () => {
      const other = modern(frameData(paths.slash));
      const group = modern(frameData(paths.group));
      const channel = place(other);
      await h.fake.announce(channel.id);
      await h.fake.gateway.dispatch('INTERACTION_CREATE', other);
      await h.fake.gateway.dispatch('INTERACTION_CREATE', group);
      const kb = {
        ...other,
        id: '917819131540668417',
        data: {
          id: '817771924460929035',
          name: 'kb',
          type: 1,
          options: [
            {
              type: 1,
              name: 'ask',
              options: [
                { type: 3, name: 'kb', value: 'handbook' },
                { type: 3, name: 'question', value: 'who is on call?' },
              ],
            },
          ],
        },
      };
      await h.sendInteraction(kb, channel);
      await handled(kb.id);
      expect(runtime.last('command')).toMatchObject({
        text: 'ask handbook "who is on call?"',
        user: '275616469906358273',
        roles: ['609370233916096514'],
      });
      expect(runtime.events.some((e) => e.eventId === other.id || e.eventId === group.id)).toBe(false);
      expect(h.fake.rest.calls.some((c) => c.route.includes(`/interactions/${other.id}/`))).toBe(false);
    },
  );

  it.skipIf(!paths.button)('turns the recorded button click into an action once its custom_id is ours', async () => {
    const recorded = modern(read(paths.button));
    const channel = place(recorded);
    await h.fake.announce(channel.id);
    await h.fake.gateway.dispatch('INTERACTION_CREATE', recorded);
    const ours = {
      ...recorded,
      id: '946462639134605312',
      token: 'our-token',
      data: { custom_id: 'tkb:feedback:ans-1:up', component_type: 2 },
    };
    await h.sendInteraction(ours, channel);
    await handled(ours.id);
    expect(runtime.last('action')).toMatchObject({
      action: 'feedback',
      value: 'ans-1:up',
      user: '53908232506183680',
      messageId: '844397162624450620',
    });
    expect(runtime.events.some((e) => e.eventId === recorded.id)).toBe(false);
  });

  it.skipIf(!paths.upload || !paths.slash)('downloads a resolved attachment shaped like the recorded one', async () => {
    const attachment = Object.values(read(paths.upload).resolved.attachments)[0] as {
      id: string;
      size: number;
      filename: string;
    };
    const served = h.fake.serveFile(attachment.filename, Buffer.alloc(attachment.size, 7));
    const envelope = modern(frameData(paths.slash));
    const channel = place(envelope);
    const body = {
      ...envelope,
      id: '917819131540668999',
      token: 'upload-token',
      data: {
        id: '817771924460929035',
        name: 'kb',
        type: 1,
        options: [
          {
            type: 1,
            name: 'upload',
            options: [
              { type: 3, name: 'kb', value: 'handbook' },
              { type: 11, name: 'file', value: attachment.id },
            ],
          },
        ],
        resolved: { attachments: { [attachment.id]: { ...attachment, url: served.url, proxy_url: served.url } } },
      },
    };
    await h.sendInteraction(body, channel);
    await handled(body.id);
    expect(runtime.last('command')?.attachments[0]).toMatchObject({ name: 'bug.png', size: 241394, mimeType: 'image/png' });
  });

  it.skipIf(!paths.message)('answers the documented message object delivered as a DM', async () => {
    const d = { ...read(paths.message), channel_type: 1 };
    h.fake.channel({ id: d.channel_id, type: 1, name: 'dm' });
    await h.fake.gateway.dispatch('MESSAGE_CREATE', d);
    const shown = await handled(d.id);
    expect(shown.channel).toBe(d.channel_id);
    expect(runtime.last('message')).toMatchObject({ text: 'Supa Hot', isDm: true, user: '53908099506183680' });
  });
});
