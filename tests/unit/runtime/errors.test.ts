import { describe, expect, it } from 'vitest';
import type { ReplyPart } from '../../../core/chat.js';
import { TeamKbError } from '../../../core/errors.js';
import { makeBot } from './setup.js';

const errorOf = (parts: ReplyPart[]) => parts.find((p) => p.type === 'error');

describe('failures while answering', () => {
  it('gives an error part from the AnswerService a reference id', async () => {
    const bot = await makeBot();
    bot.answers.script = () => [{ type: 'error', code: 'LLM_UNAVAILABLE', message: 'The model server is not reachable.' }];
    const reply = await bot.chat.message('q?');
    expect(errorOf(reply.parts)).toMatchObject({ code: 'LLM_UNAVAILABLE', ref: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(reply.ended).toBe(true);
    await bot.close();
  });

  it('reports an answer that stops without finishing, after its partial text', async () => {
    const bot = await makeBot();
    bot.answers.script = () => [{ type: 'text', text: 'Half an ans' }];
    const reply = await bot.chat.message('q?');
    expect(reply.parts.map((p) => p.type)).toEqual(['text', 'error']);
    expect(reply.text()).toMatch(/stopped before it was complete\. \(ref [0-9a-f]{8}\)/);
    expect(bot.db.get('SELECT COUNT(*) AS n FROM runtime_turns')).toEqual({ n: 0 });
    await bot.close();
  });

  it('shows a typed error’s own message with a reference id', async () => {
    const bot = await makeBot();
    bot.kb.search = async () => {
      throw new TeamKbError('STORE_UNAVAILABLE', 'The vector store at localhost:19530 is not reachable.');
    };
    await bot.kb.seed('handbook', 'public');
    const reply = await bot.chat.command('search handbook vpn');
    expect(reply.text()).toMatch(/localhost:19530 is not reachable\. \(ref [0-9a-f]{8}\)/);
    await bot.close();
  });

  it('still ends the reply when the adapter fails to show a part', async () => {
    const bot = await makeBot();
    let ended = false;
    await bot.runtime.handle(
      {
        kind: 'message',
        platform: 'memory',
        workspace: 'W1',
        channel: 'C1',
        user: 'U1',
        isDm: false,
        eventId: 'E-broken',
        text: 'q?',
        attachments: [],
      },
      {
        write: async () => {
          throw new Error('platform API down');
        },
        end: async () => {
          ended = true;
        },
      },
    );
    expect(ended).toBe(true);
    await bot.close();
  });
});
