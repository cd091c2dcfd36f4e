import { describe, expect, it } from 'vitest';
import { cleanText, translateEventCallback, uploadCommand } from '../../../adapters/slack/incoming-events.js';
import { translateBlockAction, translateSlashCommand, uploadInstructions } from '../../../adapters/slack/interactions.js';
import { ButtonCodec } from '../../../core/button-codec.js';
import type { FileRef } from '../../../core/chat.js';
import { fixtureJson, withFixtures } from './fixtures.js';

const files = (list: unknown): FileRef[] =>
  Array.isArray(list) ? list.map((f: { name: string }) => ({ name: f.name, fetch: async () => Buffer.alloc(0) })) : [];
const deps = (botUserId = 'UBOT') => ({ identity: { botUserId, teamId: 'T1' }, commandName: '/kb', files });

const envelope = (event: Record<string, unknown>) => ({ type: 'event_callback', team_id: 'T1', event_id: 'Ev1', event });
const translate = (event: Record<string, unknown>, botUserId?: string) =>
  translateEventCallback(envelope(event), deps(botUserId));
const mention = { type: 'app_mention', channel: 'C1', user: 'U1', ts: '10.1', text: '<@UBOT> how do I rotate keys?' };

describe('Events API → neutral events', () => {
  it('a mention becomes a channel message answered in a new thread, mention stripped', () => {
    const t = translate(mention);
    expect(t).toMatchObject({
      event: {
        kind: 'message',
        text: 'how do I rotate keys?',
        isDm: false,
        channel: 'C1',
        thread: '10.1',
        messageId: '10.1',
        eventId: 'Ev1',
        workspace: 'T1',
      },
      target: { origin: 'message', channel: 'C1', threadTs: '10.1', user: 'U1' },
    });
  });

  it('a mention inside a thread answers in that thread', () => {
    expect(translate({ ...mention, ts: '10.5', thread_ts: '10.1' })).toMatchObject({
      event: { thread: '10.1' },
      target: { threadTs: '10.1' },
    });
  });

  it('a DM is answered where it was written', () => {
    const t = translate({ type: 'message', channel_type: 'im', channel: 'D1', user: 'U1', ts: '11.1', text: 'hi &amp; bye' });
    expect(t).toMatchObject({
      event: { kind: 'message', isDm: true, text: 'hi & bye', thread: undefined },
      target: { threadTs: undefined },
    });
  });

  it.each([
    [
      'an edit',
      { type: 'message', subtype: 'message_changed', channel: 'D1', channel_type: 'im', ts: '1.1', message: { text: 'x' } },
    ],
    ['a deletion', { type: 'message', subtype: 'message_deleted', channel: 'D1', channel_type: 'im', ts: '1.1' }],
    ['a bot message', { type: 'message', channel_type: 'im', channel: 'D1', user: 'U9', bot_id: 'B9', ts: '1.1', text: 'beep' }],
    ['the bot itself', { type: 'message', channel_type: 'im', channel: 'D1', user: 'UBOT', ts: '1.1', text: 'hello' }],
    ['a join', { type: 'message', subtype: 'channel_join', channel: 'C1', user: 'U1', ts: '1.1', text: 'joined' }],
    ['channel chatter', { type: 'message', channel_type: 'channel', channel: 'C1', user: 'U1', ts: '1.1', text: 'lunch?' }],
    [
      'a channel message that mentions the bot (app_mention answers it)',
      { ...mention, type: 'message', channel_type: 'channel' },
    ],
    ['a mention inside a DM (message.im answers it)', { ...mention, channel: 'D1' }],
    ['a malformed event', { type: 'message' }],
  ])('ignores %s', (_name, event) => {
    expect(translate(event)).toHaveProperty('ignore');
  });

  it('never throws on junk', () => {
    for (const junk of [null, 42, 'x', [], {}, { event: 'x' }, { event: { type: 'app_mention', channel: 7 } }]) {
      expect(translateEventCallback(junk, deps())).toHaveProperty('ignore');
    }
  });

  const withFile = { files: [{ id: 'F1', name: 'handbook.pdf' }], subtype: 'file_share' };
  it.each([
    ['DM, upload <kb>', { type: 'message', channel_type: 'im', channel: 'D1', text: 'upload handbook' }],
    ['DM, /kb upload <kb>', { type: 'message', channel_type: 'im', channel: 'D1', text: '/kb upload handbook' }],
    ['channel without a mention', { type: 'message', channel_type: 'channel', channel: 'C1', text: 'upload handbook' }],
    ['channel with a mention', { type: 'app_mention', channel: 'C1', text: '<@UBOT> kb upload handbook' }],
  ])('a message with files and "upload <kb>" is the upload command (%s)', (_name, event) => {
    const t = translate({ user: 'U1', ts: '12.1', ...withFile, ...event });
    expect(t).toMatchObject({ event: { kind: 'command', text: 'upload handbook' } });
    expect('event' in t && t.event.kind === 'command' && t.event.attachments.map((a) => a.name)).toEqual(['handbook.pdf']);
  });

  it('a file with a question is a message with an attachment', () => {
    const t = translate({
      type: 'message',
      channel_type: 'im',
      channel: 'D1',
      user: 'U1',
      ts: '1.1',
      text: 'summarise section 3',
      ...withFile,
    });
    expect(t).toMatchObject({ event: { kind: 'message', text: 'summarise section 3' } });
    expect('event' in t && t.event.kind === 'message' && t.event.attachments).toHaveLength(1);
  });

  it.each([
    ['upload handbook', 'upload handbook'],
    ['  /kb   upload   hand book ', 'upload hand book'],
    ['KB upload x', 'upload x'],
    ['upload', undefined],
    ['please upload handbook', undefined],
    ['/other upload x', undefined],
  ])('uploadCommand(%j)', (text, expected) => {
    expect(uploadCommand(text, '/kb')).toBe(expected);
  });

  it.each([
    ['<@UBOT> hi', 'hi'],
    ['<@UBOT|teamkb> hi <@U2|bob> and <@U3>', 'hi @bob and @U3'],
    ['see <#C1|general> <!here>', 'see #general @here'],
    ['<https://a.example/x|the doc> and <https://b.example>', 'the doc (https://a.example/x) and https://b.example'],
    ['a &lt; b &amp;&amp; c &gt; d', 'a < b && c > d'],
    ['line1\n<@UBOT>  line2', 'line1\nline2'],
  ])('cleanText(%j)', (text, expected) => {
    expect(cleanText(text, 'UBOT')).toBe(expected);
  });
});

describe('slash commands and buttons → neutral events', () => {
  const command = {
    team_id: 'T1',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'U1',
    user_name: 'alice',
    command: '/kb',
    text: ' search vpn ',
    response_url: 'https://hooks.slack.com/commands/T1/1/x',
    trigger_id: 't1',
  };

  it('a slash command becomes IncomingCommand; results go to the channel or response_url', () => {
    expect(translateSlashCommand(command, { botUserId: 'UBOT' })).toMatchObject({
      event: {
        kind: 'command',
        text: 'search vpn',
        channel: 'C1',
        user: 'U1',
        userName: 'alice',
        eventId: 'command:t1',
        isDm: false,
        attachments: [],
      },
      target: { origin: 'command', channel: 'C1', responseUrl: command.response_url },
    });
    expect(
      translateSlashCommand({ ...command, channel_id: 'D9', channel_name: 'directmessage' }, { botUserId: 'UBOT' }),
    ).toMatchObject({
      event: { isDm: true },
    });
    expect(translateSlashCommand({ text: 'x' }, { botUserId: 'UBOT' })).toHaveProperty('ignore');
  });

  it('`/kb upload` explains how to upload with a message', () => {
    expect(uploadInstructions('upload handbook', '/kb')).toContain('`upload handbook`');
    expect(uploadInstructions('upload', '/kb')).toContain('`upload <kb>`');
    expect(uploadInstructions('search upload', '/kb')).toBeUndefined();
  });

  const click = (actionId: string, value: string) => ({
    type: 'block_actions',
    user: { id: 'U1', username: 'alice', team_id: 'T1' },
    team: { id: 'T1' },
    container: { type: 'message', message_ts: '20.2', channel_id: 'C1', is_ephemeral: false },
    channel: { id: 'C1' },
    message: { ts: '20.2', thread_ts: '20.1' },
    response_url: 'https://hooks.slack.com/actions/T1/1/x',
    trigger_id: 'tr1',
    actions: [
      {
        action_id: actionId,
        value: actionId.startsWith('teamkb_') ? new ButtonCodec().encode({ action: actionOf(actionId), value }) : value,
        type: 'button',
        action_ts: '20.3',
      },
    ],
  });
  const actionOf = (actionId: string) =>
    (/teamkb_([a-z]+)/.exec(actionId)?.[1] ?? 'feedback') as 'feedback' | 'confirm' | 'cancel';

  it.each([
    ['teamkb_feedback', 'ans-1:up', 'feedback'],
    ['teamkb_feedback_1', 'ans-1:down', 'feedback'],
    ['teamkb_confirm', 'del:handbook', 'confirm'],
    ['teamkb_cancel_1', 'del:handbook', 'cancel'],
  ])('%s → %s', (actionId, value, action) => {
    expect(translateBlockAction(click(actionId, value), { botUserId: 'UBOT' })).toMatchObject({
      event: { kind: 'action', action, value, channel: 'C1', thread: '20.1', messageId: '20.2', eventId: 'action:tr1' },
      target: { origin: 'action', action, threadTs: '20.1', responseUrl: 'https://hooks.slack.com/actions/T1/1/x' },
    });
  });

  it('ignores buttons that are not the bot’s', () => {
    expect(translateBlockAction(click('something_else', 'x'), { botUserId: 'UBOT' })).toHaveProperty('ignore');
    expect(translateBlockAction({ type: 'block_actions' }, { botUserId: 'UBOT' })).toHaveProperty('ignore');
  });
});

describe('recorded Slack payloads', () => {
  withFixtures('app_mention.json: mention of W111 stripped, threaded under its ts', () => {
    const t = translateEventCallback(fixtureJson('app_mention.json'), deps('W111'));
    expect(t).toMatchObject({
      event: {
        kind: 'message',
        text: 'Hi there!',
        channel: 'C111',
        thread: '1595926230.009600',
        eventId: 'Ev111',
        workspace: 'T111',
      },
    });
  });

  withFixtures('app_mention_with_blocks.json (socket-mode body)', () => {
    expect(translateEventCallback(fixtureJson('app_mention_with_blocks.json'), deps('U111'))).toMatchObject({
      event: { kind: 'message', text: 'hey' },
    });
  });

  withFixtures('message_im.json and message_im_thread_reply.json are DMs', () => {
    expect(translateEventCallback(fixtureJson('message_im.json'), deps('U0442US8QGH'))).toMatchObject({
      event: { kind: 'message', isDm: true, text: 'test', eventId: 'Ev044C51K43V' },
      target: { threadTs: undefined },
    });
    expect(translateEventCallback(fixtureJson('message_im_thread_reply.json'), deps())).toMatchObject({
      event: { isDm: true, thread: '1726133698.626339' },
      target: { threadTs: '1726133698.626339' },
    });
  });

  withFixtures('message_file_share_im_snippet.json carries the snippet as an attachment', () => {
    const t = translateEventCallback(fixtureJson('message_file_share_im_snippet.json'), deps());
    expect('event' in t && t.event.kind === 'message' && t.event.attachments.map((a) => a.name)).toEqual(['namenamename.txt']);
  });

  withFixtures('channel messages without a mention are ignored unless they upload', () => {
    for (const name of ['message_channel.json', 'message_thread_broadcast_reply.json', 'message_file_share_channel_png.json']) {
      expect(translateEventCallback(fixtureJson(name), deps())).toHaveProperty('ignore');
    }
    const png = fixtureJson<{ event: Record<string, unknown> }>('message_file_share_channel_png.json');
    png.event.text = 'upload designs';
    expect(translateEventCallback(png, deps())).toMatchObject({
      event: { kind: 'command', text: 'upload designs', thread: '1652227646.593159' },
    });
  });

  withFixtures(
    'app_mention_in_thread_with_files: posted by a bot, so ignored; from a person, a threaded message with the file',
    () => {
      const event = fixtureJson('app_mention_in_thread_with_files.event.json');
      expect(translateEventCallback(envelope(event), deps('U0LAN0Z89'))).toHaveProperty('ignore');
      const { bot_id: _bot, ...fromPerson } = event;
      const t = translateEventCallback(envelope(fromPerson), deps('U0LAN0Z89'));
      expect(t).toMatchObject({ event: { kind: 'message', text: 'check this file', thread: '1628259917.003000' } });
      expect('event' in t && t.event.kind === 'message' && t.event.attachments.map((a) => a.name)).toEqual(['test.png']);
    },
  );

  withFixtures('block_actions fixtures are not the bot’s buttons; with our encoded value they are', () => {
    expect(translateBlockAction(fixtureJson('block_actions_button.json'), { botUserId: 'U' })).toHaveProperty('ignore');
    const body = fixtureJson<{ actions: Array<Record<string, unknown>> }>('block_actions_button_in_message.json');
    expect(translateBlockAction(body, { botUserId: 'U' })).toHaveProperty('ignore');
    (body.actions[0] as Record<string, unknown>).action_id = 'teamkb_confirm';
    (body.actions[0] as Record<string, unknown>).value = 'tkb:confirm:del:handbook';
    expect(translateBlockAction(body, { botUserId: 'U' })).toMatchObject({
      event: { action: 'confirm', channel: 'C111', messageId: '1678252213.679169', workspace: 'T0G9PQBBK' },
    });
  });

  withFixtures('slash_command.json', () => {
    expect(translateSlashCommand(fixtureJson('slash_command.json'), { botUserId: 'U' })).toMatchObject({
      event: {
        kind: 'command',
        text: 'Hi',
        channel: 'C111',
        user: 'W111',
        userName: 'primary-owner',
        eventId: 'command:111.111.xxx',
      },
    });
  });
});
