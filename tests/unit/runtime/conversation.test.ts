import { describe, expect, it } from 'vitest';
import { ADMIN, makeBot } from './setup.js';

describe('conversation history', () => {
  it('passes the thread’s last N turns, oldest first, to follow-ups', async () => {
    const bot = await makeBot({ historyTurns: 2, defaultKb: { fallback: 'handbook' } });
    await bot.kb.seed('handbook', 'public');
    await bot.chat.message('first?', { messageId: 'root' });
    expect(bot.answers.last().history).toEqual([]);
    await bot.chat.message('second?', { thread: 'root' });
    await bot.chat.message('third?', { thread: 'root' });
    await bot.chat.message('fourth?', { thread: 'root' });
    const history = bot.answers.last().history ?? [];
    expect(history.map((m) => `${m.role}:${m.content.slice(0, 8)}`)).toEqual([
      'user:second?',
      'assistant:The answ',
      'user:third?',
      'assistant:The answ',
    ]);
    await bot.chat.message('unrelated?', { messageId: 'other-root' });
    expect(bot.answers.last().history).toEqual([]);
    await bot.close();
  });

  it('treats a DM as one conversation, threads or not', async () => {
    const bot = await makeBot();
    const dm = { channel: 'D1', workspace: 'dm', isDm: true };
    await bot.chat.message('hi?', dm);
    await bot.chat.message('again?', { ...dm, thread: 'some-thread' });
    expect(bot.answers.last().history?.[0]).toEqual({ role: 'user', content: 'hi?' });
    await bot.close();
  });

  it('shares history between /kb ask and mentions in the same thread', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    await bot.chat.command('ask handbook what is the VPN?', { thread: 't1' });
    await bot.chat.message('and how do I rotate it?', { thread: 't1' });
    expect(bot.answers.last().history?.[0]).toEqual({ role: 'user', content: 'what is the VPN?' });
    await bot.close();
  });

  it('forgets the thread on /kb reset (and only that thread)', async () => {
    const bot = await makeBot();
    await bot.chat.message('one?', { messageId: 't1' });
    await bot.chat.message('two?', { messageId: 't2' });
    expect((await bot.chat.command('reset', { thread: 't1' })).text()).toContain('Forgot 1 earlier question in this thread');
    await bot.chat.message('after?', { thread: 't1' });
    expect(bot.answers.last().history).toEqual([]);
    await bot.chat.message('still?', { thread: 't2' });
    expect(bot.answers.last().history).toHaveLength(2);
    expect((await bot.chat.command('reset')).text()).toContain('Forgot 3 earlier questions in this channel');
    await bot.close();
  });

  it('stores answers with their citations and an id carried by done, used by feedback buttons', async () => {
    const bot = await makeBot();
    const reply = await bot.chat.message('what?');
    const done = reply.parts.find((p) => p.type === 'done');
    const answerId = done?.type === 'done' ? (done.answer.answerId ?? '') : '';
    expect(answerId).not.toBe('');
    const row = bot.db.get('SELECT question, citations FROM runtime_turns WHERE answer_id = ?', answerId) as {
      question: string;
      citations: string;
    };
    expect(row.question).toBe('what?');
    expect(JSON.parse(row.citations)[0]).toMatchObject({ n: 1, file: 'guide.pdf' });

    const thanks = await bot.chat.click('feedback', `${answerId}:down`, { user: 'U7' });
    expect(thanks.parts).toEqual([expect.objectContaining({ type: 'message', ephemeral: true })]);
    await bot.chat.click('feedback', `${answerId}:up`, { user: 'U7' });
    await bot.chat.click('feedback', `${answerId}:up`, { user: 'U8' });
    expect(bot.runtime.services.feedback.forAnswer(answerId).map((f) => `${f.user}:${f.vote}`)).toEqual(['U7:up', 'U8:up']);
    await bot.close();
  });

  it('keeps the answer id an AnswerService already gave', async () => {
    const bot = await makeBot();
    bot.answers.script = () => [
      { type: 'text', text: 'hi' },
      { type: 'done', answer: { markdown: 'hi', citations: [], sources: ['llm'], mode: 'llm', answerId: 'svc-42' } },
    ];
    const reply = await bot.chat.message('hello?');
    expect(reply.messages[0]?.buttons).toEqual(['svc-42:up', 'svc-42:down']);
    await bot.close();
  });

  it('rejects feedback for unknown answers or malformed values', async () => {
    const bot = await makeBot();
    expect((await bot.chat.click('feedback', 'nope:up')).text()).toContain('no longer on record');
    expect((await bot.chat.click('feedback', 'garbage')).text()).toContain('not one of mine');
    await bot.close();
  });
});

describe('/kb model', () => {
  it('shows and switches the conversation’s model, which answers then use', async () => {
    const bot = await makeBot();
    expect((await bot.chat.command('model', { thread: 't' })).text()).toContain('Model for this conversation: **small**');
    expect((await bot.chat.command('model LARGE', { thread: 't' })).text()).toContain('now uses **large**');
    await bot.chat.message('q?', { thread: 't' });
    expect(bot.answers.last().model).toBe('large');
    await bot.chat.message('q?', { thread: 'elsewhere' });
    expect(bot.answers.last().model).toBeUndefined();
    expect((await bot.chat.command('model huge', { thread: 't' })).text()).toContain(
      'There is no model "huge". Available: small, large',
    );
    await bot.close();
  });
});

describe('/kb status, list, files, search, web', () => {
  it('reports models, queue and KB counts', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    const text = (await bot.chat.command('status')).text();
    expect(text).toContain('Models: small, large');
    expect(text).toContain('Answer queue: 2 waiting, 1 running');
    expect(text).toContain('Knowledge bases: 1');
    await bot.close();
  });

  it('shows passages with scores, without asking the model', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public', { 'vpn.md': 'Rotate the VPN key monthly.', 'food.md': 'Lunch at noon.' });
    await bot.kb.seed('ops', 'public', { 'runbook.md': 'VPN outage runbook.' });
    const one = (await bot.chat.command('search handbook vpn key')).text();
    expect(one).toContain('1. **vpn.md** p.1 · score 1.00');
    expect(one).toContain('> Rotate the VPN key monthly.');
    expect(one).not.toContain('food.md');
    const all = (await bot.chat.command('search vpn')).text();
    expect(all).toContain('in **2 knowledge bases**');
    expect(all).toContain('runbook.md** p.1 · ops');
    expect((await bot.chat.command('search handbook zebra')).text()).toContain('No passages in **handbook** match “zebra”');
    expect(bot.answers.requests).toHaveLength(0);
    await bot.close();
  });

  it('searches the KB used here when none is named', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public', { 'vpn.md': 'vpn' });
    await bot.kb.seed('ops', 'public', { 'runbook.md': 'vpn' });
    await bot.chat.command('use ops');
    await bot.chat.command('search vpn');
    expect(bot.kb.searches.at(-1)?.kbs).toEqual(['ops']);
    await bot.close();
  });

  it('answers /kb web in search mode', async () => {
    const bot = await makeBot();
    await bot.chat.command('web latest node release');
    expect(bot.answers.last()).toMatchObject({ mode: 'search', question: 'latest node release' });
    await bot.close();
  });

  it('lists KBs and files with their state', async () => {
    const bot = await makeBot();
    await bot.kb.seed('手册', 'public', { '年假.md': '年假十天' });
    await bot.chat.command('create empty "空的知识库"', ADMIN);
    const list = (await bot.chat.command('list')).text();
    expect(list).toContain('**手册** — 手册 docs · 1 file');
    expect(list).toContain('**empty** — 空的知识库 · 0 files');
    expect((await bot.chat.command('files 手册')).text()).toContain('年假.md — 1 chunks');
    expect((await bot.chat.command('files empty')).text()).toContain('No files yet');
    expect((await bot.chat.command('create 手册', ADMIN)).text()).toContain('"手册" already exists');
    expect((await bot.chat.command('create tmp-x', ADMIN)).text()).toContain('reserved');
    await bot.close();
  });
});
