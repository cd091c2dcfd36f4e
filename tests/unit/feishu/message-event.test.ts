import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCardAction } from '../../../adapters/feishu/card-action.js';
import { flattenPost, parseMessageContent } from '../../../adapters/feishu/content.js';
import { envelopeFromBody, envelopeFromSdk } from '../../../adapters/feishu/envelope.js';
import { commandText, readMessageEvent } from '../../../adapters/feishu/message-event.js';
import type { FeishuEnvelope } from '../../../adapters/feishu/types.js';
import { sharedFixture } from '../../helpers/shared.js';
import { cardActionEvent, mentionEvent, messageEvent } from './fake/events.js';
import { BOT_OPEN_ID } from './fake/open-api.js';

function fixture<T>(name: string): T | undefined {
  const path = sharedFixture(`platforms/feishu/${name}`, `Feishu payload ${name}`);
  return path ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

const envelope = (body: Record<string, unknown>) => envelopeFromBody(body) as FeishuEnvelope;
const noMentions = () => undefined;

describe('im.message.receive_v1 → neutral message', () => {
  it('strips the bot mention and keeps other people as @Name', () => {
    const event = messageEvent({
      chatId: 'oc_1',
      content: { text: '@_user_1 ask @_user_12 about @_user_2 please' },
      mentions: [
        { key: '@_user_1', openId: BOT_OPEN_ID, name: 'TeamKB' },
        { key: '@_user_12', openId: 'ou_12', name: 'Li Lei' },
        { key: '@_user_2', openId: 'ou_2', name: 'Han Meimei' },
      ],
    });
    const read = readMessageEvent(envelope(event), BOT_OPEN_ID);
    expect(read?.text).toBe('ask @Li Lei about @Han Meimei please');
    expect(read?.addressed).toBe(true);
    expect(read?.context).toMatchObject({ platform: 'feishu', channel: 'oc_1', isDm: false, workspace: 'tenant_fake' });
  });

  it('is addressed only when the bot itself is mentioned (group) or in a direct chat', () => {
    const otherMention = messageEvent({
      chatId: 'oc_1',
      content: { text: '@_user_1 hi' },
      mentions: [{ key: '@_user_1', openId: 'ou_x', name: 'X' }],
    });
    expect(readMessageEvent(envelope(otherMention), BOT_OPEN_ID)?.addressed).toBe(false);
    const dm = messageEvent({ chatId: 'oc_dm', chatType: 'p2p', content: { text: 'hello' } });
    expect(readMessageEvent(envelope(dm), BOT_OPEN_ID)).toMatchObject({
      addressed: true,
      context: { isDm: true, thread: undefined },
    });
  });

  it('ignores the bot’s own messages', () => {
    const own = messageEvent({ chatId: 'oc_1', content: { text: 'answer' }, senderType: 'app' });
    expect(readMessageEvent(envelope(own), BOT_OPEN_ID)).toBeUndefined();
    const byOpenId = messageEvent({ chatId: 'oc_1', content: { text: 'answer' }, user: BOT_OPEN_ID });
    expect(readMessageEvent(envelope(byOpenId), BOT_OPEN_ID)).toBeUndefined();
  });

  it('recognises /kb commands with or without the mention, and the full-width slash', () => {
    expect(commandText('/kb ask handbook "vpn?"')).toBe('ask handbook "vpn?"');
    expect(commandText('／kb help')).toBe('help');
    expect(commandText('/kb')).toBe('');
    expect(commandText('/kbx help')).toBeUndefined();
    expect(commandText('please /kb help')).toBeUndefined();
    expect(readMessageEvent(envelope(mentionEvent('/kb list', 'oc_1')), BOT_OPEN_ID)?.command).toBe('list');
    const plain = messageEvent({ chatId: 'oc_1', content: { text: '/kb search vpn' } });
    expect(readMessageEvent(envelope(plain), BOT_OPEN_ID)).toMatchObject({ command: 'search vpn', addressed: false });
  });

  it('threads: a top-level group message roots its own conversation; replies keep the root', () => {
    const top = readMessageEvent(envelope(mentionEvent('q', 'oc_1', 'ou_1', { messageId: 'om_top' })), BOT_OPEN_ID);
    expect(top?.context.thread).toBe('om_top');
    const followUp = readMessageEvent(
      envelope(mentionEvent('more', 'oc_1', 'ou_1', { rootId: 'om_top', parentId: 'om_bot' })),
      BOT_OPEN_ID,
    );
    expect(followUp?.context.thread).toBe('om_top');
    const topic = readMessageEvent(
      envelope(mentionEvent('q', 'oc_1', 'ou_1', { threadId: 'omt_1', rootId: 'om_root' })),
      BOT_OPEN_ID,
    );
    expect(topic?.inThread).toBe(true);
  });

  it('reads the recorded group events (shared fixtures)', (ctx) => {
    const atBot = fixture<Record<string, unknown>>('im_message_receive_v1_group_at_bot.json');
    const plain = fixture<Record<string, unknown>>('im_message_receive_v1_group_text.json');
    if (!atBot || !plain) return ctx.skip();
    // The recorded bot mention carries the redacted open_id "open_id".
    const read = readMessageEvent(envelope(atBot), 'open_id');
    expect(read).toMatchObject({ text: '/say 34567', addressed: true, context: { user: 'sender_open_id', channel: 'chat_id' } });
    expect(readMessageEvent(envelope(plain), 'open_id')).toMatchObject({ text: 'bot /say 12345', addressed: false });
  });
});

describe('message content', () => {
  it('flattens a post: title, paragraphs, links, mentions, code blocks, images', () => {
    const post = {
      title: 'Release notes',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: 'TeamKB' },
          { tag: 'text', text: ' what changed in ' },
          { tag: 'a', text: 'v2', href: 'https://example.com/v2' },
          { tag: 'text', text: '?' },
        ],
        [
          { tag: 'at', user_id: '@_user_2', user_name: 'Wang' },
          { tag: 'text', text: ' knows' },
          { tag: 'emotion', emoji_type: 'SMILE' },
        ],
        [{ tag: 'code_block', language: 'GO', text: 'func main() {}\n' }],
        [{ tag: 'img', image_key: 'img_v3_1' }],
        [{ tag: 'hr' }],
        [{ tag: 'media', file_key: 'file_v3_m', image_key: 'img_cover' }],
      ],
    };
    const flat = flattenPost(post, (key) => (key === '@_user_1' ? '' : undefined));
    expect(flat.text).toBe(
      'Release notes\nwhat changed in v2 (https://example.com/v2)?\n@Wang knows:SMILE:\n\n```go\nfunc main() {}\n```\n\n---',
    );
    expect(flat.resources).toEqual([
      { key: 'img_v3_1', type: 'image', name: 'image_img_v3_1.png' },
      { key: 'file_v3_m', type: 'file', name: 'video_file_v3_m.mp4' },
    ]);
  });

  it('accepts posts wrapped in a locale and ignores junk elements', () => {
    const flat = flattenPost(
      { zh_cn: { title: '', content: [[{ tag: 'text', text: '你好' }, null, 42, { tag: 'unknown' }]] } },
      noMentions,
    );
    expect(flat).toEqual({ text: '你好', resources: [] });
    expect(parseMessageContent('post', '{"title":"t","content":"nope"}', noMentions, [])).toEqual({ text: '', resources: [] });
  });

  it('reads every recorded content fragment (shared fixture)', (ctx) => {
    const f = fixture<{ content_by_message_type: Record<string, string> }>('message_content_fragments.json');
    if (!f) return ctx.skip();
    const c = f.content_by_message_type;
    const parse = (type: string, key: string) => parseMessageContent(type, c[key] as string, noMentions, []);
    expect(parse('text', 'text')).toEqual({ text: 'hello', resources: [] });
    expect(parse('image', 'image').resources).toEqual([{ key: 'img_v3_abc', type: 'image', name: 'image_img_v3_abc.png' }]);
    expect(parse('file', 'file').resources).toEqual([{ key: 'f1', type: 'file', name: 'doc.pdf' }]);
    expect(parse('audio', 'audio').resources).toEqual([{ key: 'a1', type: 'file', name: 'audio_a1.opus' }]);
    expect(parse('media', 'media_video').resources).toEqual([{ key: 'v1', type: 'file', name: 'clip.mp4' }]);
    expect(parse('sticker', 'sticker')).toEqual({ text: '', resources: [] });
  });

  it('treats malformed content as empty', () => {
    expect(parseMessageContent('text', '{oops', noMentions, [])).toEqual({ text: '', resources: [] });
    expect(parseMessageContent('file', '{"file_name":"x.pdf"}', noMentions, [])).toEqual({ text: '', resources: [] });
  });
});

describe('card.action.trigger → IncomingAction', () => {
  it('reads our button values (object or JSON text) and ignores other cards', () => {
    const ours = cardActionEvent({ value: { teamkb: 'tkb:confirm:del:handbook' }, chatId: 'oc_1', messageId: 'om_card' });
    expect(readCardAction(envelope(ours), () => false)).toMatchObject({
      kind: 'action',
      action: 'confirm',
      value: 'del:handbook',
      messageId: 'om_card',
      channel: 'oc_1',
    });
    const asText = cardActionEvent({
      value: JSON.stringify({ teamkb: 'tkb:feedback:a1:up' }),
      chatId: 'oc_1',
      messageId: 'om_card',
    });
    expect(readCardAction(envelope(asText), () => true)).toMatchObject({ action: 'feedback', value: 'a1:up', isDm: true });
    const foreign = cardActionEvent({ value: { action: 'approve' }, chatId: 'oc_1', messageId: 'om_card' });
    expect(readCardAction(envelope(foreign), () => false)).toBeUndefined();
  });

  it('reads the recorded callback fragment in the SDK’s flattened form (shared fixture)', (ctx) => {
    const f = fixture<{ event: Record<string, unknown> }>('card_action_trigger.event_fragment.json');
    if (!f) return ctx.skip();
    const flattened = { schema: '2.0', event_id: 'ev_1', event_type: 'card.action.trigger', tenant_key: 't', ...f.event };
    const env = envelopeFromSdk(flattened, 'card.action.trigger') as FeishuEnvelope;
    expect(env.eventId).toBe('ev_1');
    expect(readCardAction(env, () => false)).toBeUndefined(); // not one of our buttons
    const action = { ...(f.event.action as object), value: { teamkb: 'tkb:cancel:del:x' } };
    const ours = envelopeFromSdk({ ...flattened, action }, 'card.action.trigger') as FeishuEnvelope;
    expect(readCardAction(ours, () => false)).toMatchObject({
      action: 'cancel',
      user: 'ou_alice',
      channel: 'oc_1',
      messageId: 'om_1',
    });
  });
});
