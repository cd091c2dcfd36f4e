import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import { type CoreServices, citationLinkFor } from '../../bots/app-services.js';
import type { Citation } from '../../core/answer.js';
import { createAnswerService } from '../../core/answering/answer-service.js';
import type { ChatMessage } from '../../core/llm.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { EXPENSES, ONBOARDING, VPN_GUIDE } from './helpers/corpus.js';
import { createKbWithFiles } from './helpers/http.js';

type WithCitations = { citations?: Citation[] };
const FILES = [
  { name: 'vpn.md', bytes: VPN_GUIDE },
  { name: 'onboarding.txt', bytes: ONBOARDING },
  { name: 'expenses.txt', bytes: EXPENSES },
];

/** Answers like a model that read the prompt: cites the passage that mentions the rotation period. */
function vpnAnswer(messages: ChatMessage[]): string {
  const prompt = messages.at(-1)?.content ?? '';
  const passages = prompt.split(/^(?=\[\d+\] \()/m);
  const n = passages.find((p) => p.includes('90 days'))?.match(/^\[(\d+)\]/)?.[1];
  return n ? `Rotate the VPN key every 90 days [${n}]. The old key keeps working for 24 hours [${n}].` : 'I do not know.';
}

const scriptedAnswers = (core: CoreServices) =>
  createAnswerService({
    kb: core.kb,
    llms: [{ name: 'scripted', llm: createScriptedLlm(vpnAnswer) }],
    prompts: core.config.prompts,
    link: citationLinkFor(core.config),
  });

const client = (app: TestApp) => new OpenAI({ baseURL: `${app.url}/v1`, apiKey: 'unused', maxRetries: 0 });

describe('OpenAI-compatible API with a scripted LLM', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ answers: scriptedAnswers });
    await createKbWithFiles(app.url, 'handbook', FILES);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists llm, each configured model, search and every KB as models', async () => {
    const models = await client(app).models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['llm', 'llm:scripted', 'search', 'kb:handbook']));
    for (const m of models.data) expect(m).toMatchObject({ object: 'model', owned_by: 'teamkb' });
  });

  it('answers a KB question with inline [n] and a citations field that links to the source', async () => {
    const completion = await client(app).chat.completions.create({
      model: 'kb:handbook',
      messages: [{ role: 'user', content: 'How often do I rotate the VPN key?' }],
    });
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).toMatch(/^Rotate the VPN key every 90 days \[\d\]\./);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const n = Number(content.match(/\[(\d)\]/)?.[1]);
    const citations = (completion as WithCitations).citations ?? [];
    expect(citations).toHaveLength(1);
    expect(citations[0]).toMatchObject({ n, file: 'vpn.md', kb: 'handbook' });
    expect(citations[0]?.snippet).toContain('90 days');
    // The scripted model counts words: the prompt holds the passages, the completion the answer.
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(20);
    expect(completion.usage?.completion_tokens).toBe(content.split(' ').length);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );

    // The citation opens its passage page, which shows the cited text and opens the original.
    expect(citations[0]?.url).toMatch(/^\/kb\/handbook\/passages\/[0-9a-f]+$/);
    const passage = await fetch(`${app.url}${citations[0]?.url}`);
    expect(passage.status).toBe(200);
    const html = await passage.text();
    expect(html).toContain('Rotate the VPN key every 90 days');
    const original = /href="([^"]+\/view)"/.exec(html)?.[1] ?? '';
    expect(await (await fetch(`${app.url}${original}`)).text()).toBe(VPN_GUIDE);
  });

  it('streams the same answer in chunks and ends with citations', async () => {
    const stream = await client(app).chat.completions.create({
      model: 'kb:handbook',
      messages: [{ role: 'user', content: 'How often do I rotate the VPN key?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let finish: string | null | undefined;
    let citations: Citation[] | undefined;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      expect(chunk.object).toBe('chat.completion.chunk');
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if ((chunk as WithCitations).citations) citations = (chunk as WithCitations).citations;
    }
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toMatch(
      /^Rotate the VPN key every 90 days \[\d\]\. The old key keeps working for 24 hours \[\d\]\.$/,
    );
    expect(finish).toBe('stop');
    expect(citations?.map((c) => c.file)).toEqual(['vpn.md']);
    expect(usage?.prompt_tokens).toBeGreaterThan(20);
    expect(usage?.completion_tokens).toBe(deltas.length);
  });

  it('says so instead of guessing when nothing matches, and uses history in plain LLM chat', async () => {
    // score_threshold (a TeamKB extension, 0..1) drops the weak matches any dense search returns.
    const none = await client(app).chat.completions.create({
      model: 'kb:handbook',
      messages: [{ role: 'user', content: 'zyxwvut qqqq' }],
      score_threshold: 0.5,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(none.choices[0]?.message.content).toContain('handbook');
    expect((none as WithCitations).citations).toEqual([]);

    const plain = await client(app).chat.completions.create({
      model: 'llm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(plain.choices[0]?.message.content).toBe('I do not know.');
  });

  it('rejects unknown models and knowledge bases with OpenAI-style errors', async () => {
    const ask = (model: string, stream: boolean) =>
      client(app).chat.completions.create({ model, stream: stream as false, messages: [{ role: 'user', content: 'q' }] });
    for (const stream of [false, true]) {
      await expect(ask('gpt-4o', stream)).rejects.toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' });
      await expect(ask('kb:nope', stream)).rejects.toMatchObject({ status: 404, code: 'KB_NOT_FOUND' });
    }
    await expect(
      client(app).chat.completions.create({ model: 'kb:handbook', messages: [{ role: 'assistant', content: 'hello' }] }),
    ).rejects.toMatchObject({ status: 400, code: 'INVALID_INPUT' });
  });
});

describe('OpenAI-compatible API without an LLM', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ llm: 'none' });
    await createKbWithFiles(app.url, 'handbook', FILES);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers KB questions extractively, quoting the best passage with its citation', async () => {
    const ids = (await client(app).models.list()).data.map((m) => m.id);
    expect(ids).toEqual(['llm', 'search', 'kb:handbook']);

    const completion = await client(app).chat.completions.create({
      model: 'kb:handbook',
      messages: [{ role: 'user', content: 'How often do I rotate the VPN key?' }],
    });
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).toMatch(/^No language model is loaded/);
    expect(content).toMatch(/90 days.*\[1\]/);
    const citations = (completion as WithCitations).citations ?? [];
    expect(citations[0]).toMatchObject({ n: 1, file: 'vpn.md' });

    const stream = await client(app).chat.completions.create({
      model: 'kb:handbook',
      messages: [{ role: 'user', content: 'How often do I rotate the VPN key?' }],
      stream: true,
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(content);
  });
});

describe('OpenAI-compatible API when web search is offline', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      answers: (core) =>
        createAnswerService({
          kb: core.kb,
          llms: [{ name: 'scripted', llm: createScriptedLlm(() => 'unused') }],
          prompts: core.config.prompts,
          web: async () => {
            throw new TypeError('fetch failed');
          },
        }),
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 502 with a message, and an error event in the stream, never a 500', async () => {
    const ask = (stream: boolean) =>
      client(app).chat.completions.create({
        model: 'search',
        stream: stream as false,
        messages: [{ role: 'user', content: 'news today' }],
      });
    await expect(ask(false)).rejects.toMatchObject({ status: 502, code: 'SEARCH_FAILED' });
    await expect(ask(false)).rejects.toThrow(/Web search could not be reached \(fetch failed\)/);
    let streamed: unknown;
    try {
      for await (const _ of (await ask(true)) as unknown as AsyncIterable<unknown>) {
      }
    } catch (err) {
      streamed = err;
    }
    expect(String(streamed)).toMatch(/Web search could not be reached/);
  });
});
