import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyPart } from '../../core/chat.js';
import { HANDBOOK, SECRET } from '../unit/agent/helpers/agent-fixture.js';
import { type Script, startScriptedOpenAi, toolResults, type WireRequest } from '../unit/agent/helpers/scripted-openai.js';
import { startTestApp, type TestApp } from './helpers/app.js';

const KEY = 'test-key';
let app: TestApp;
let model: Awaited<ReturnType<typeof startScriptedOpenAi>>;
let script: Script = () => ({ text: 'unset' });

/** Searches once for what the question asks, then answers with every tool result it saw. */
const searchThenEcho: Script = (req: WireRequest) => {
  if (req.stream) return { text: 'Plain answer [1].' };
  const question = req.messages.find((m) => m.role === 'user')?.content ?? '';
  return !req.messages.some((m) => m.role === 'tool')
    ? { calls: [{ name: 'search_knowledge_base', args: { query: question } }] }
    : { text: `Found: ${toolResults(req).join(' | ')} [1]` };
};

beforeAll(async () => {
  model = await startScriptedOpenAi((req, turn) => script(req, turn));
  app = await startTestApp({ llm: `openai:scripted@${model.url}`, apiKey: KEY, agent: true, runtime: true });
  const bytes = (files: Record<string, string>) =>
    Object.entries(files).map(([name, text]) => ({ name, bytes: Buffer.from(text) }));
  await app.core.kb.createKb('handbook', { description: 'Company handbook' });
  await app.core.kb.ingestUploads('handbook', bytes(HANDBOOK));
  await app.core.kb.createKb('secret', { description: 'HR only', visibility: 'restricted' });
  await app.core.kb.ingestUploads('secret', bytes(SECRET));
  // A conversation's file-chat KB: private to that conversation on every surface.
  await app.core.kb.createKb('tmp-conversation-files');
  await app.core.kb.ingestUploads('tmp-conversation-files', bytes({ 'notes.md': 'Private travel notes of one chat.' }));
});
afterAll(async () => {
  await app?.close();
  await model?.close();
});

async function mcpClient(key = KEY) {
  const client = new Client({ name: 'test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return client;
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('');

describe('MCP server at /mcp (official SDK client)', () => {
  it('offers list_knowledge_bases, search and ask', async () => {
    const client = await mcpClient();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['ask', 'list_knowledge_bases', 'search']);
    const listed = await client.callTool({ name: 'list_knowledge_bases', arguments: {} });
    expect(textOf(listed)).toContain('handbook: Company handbook (4 files)');
    expect(textOf(listed)).not.toContain('tmp-');
    await client.close();
  });

  it('searches with sources and keeps conversation KBs out of reach', async () => {
    const client = await mcpClient();
    const found = await client.callTool({ name: 'search', arguments: { query: 'meal allowance 2024', kbs: ['handbook'] } });
    expect(found.isError).toBeFalsy();
    expect(textOf(found)).toContain('55 EUR');
    const passages = (found.structuredContent as { passages: Array<{ file: string; kb: string }> }).passages;
    expect(passages[0]?.kb).toBe('handbook');
    const hidden = await client.callTool({
      name: 'search',
      arguments: { query: 'travel notes', kbs: ['tmp-conversation-files'] },
    });
    expect(hidden.isError).toBe(true);
    expect(textOf(hidden)).toBe('No knowledge base named "tmp-conversation-files".');
    const all = await client.callTool({ name: 'search', arguments: { query: 'Private travel notes' } });
    expect(textOf(all)).not.toContain('Private travel notes');
    await client.close();
  });

  it('answers with citations, from one KB or in agent mode', async () => {
    script = searchThenEcho;
    const client = await mcpClient();
    const plain = await client.callTool({ name: 'ask', arguments: { question: 'meal allowance 2023', kb: 'handbook' } });
    expect(textOf(plain)).toContain('Plain answer [1].');
    expect(textOf(plain)).toContain('Sources:\n[1]');
    const agent = await client.callTool({ name: 'ask', arguments: { question: 'VPN key rotation' } });
    expect(agent.isError).toBeFalsy();
    const structured = agent.structuredContent as { mode: string; citations: Array<{ file: string }> };
    expect(structured.mode).toBe('agent');
    expect(structured.citations.length).toBeGreaterThan(0);
    await client.close();
  });

  it('honours API-key scopes and the KBs a key names, like every other surface', async () => {
    const handbookOnly = await mcpClient(app.access.keys.create('handbook-reader', ['read'], ['handbook']).key);
    const listed = await handbookOnly.callTool({ name: 'list_knowledge_bases', arguments: {} });
    expect(textOf(listed)).toContain('handbook');
    expect(textOf(listed)).not.toContain('secret');
    const denied = await handbookOnly.callTool({ name: 'search', arguments: { query: 'salary bands', kbs: ['secret'] } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toBe('No knowledge base named "secret".');
    const everything = await handbookOnly.callTool({ name: 'search', arguments: { query: 'directors travel bonus' } });
    expect(textOf(everything)).not.toContain('9000 EUR');
    await handbookOnly.close();
    // The admin key reaches the restricted KB.
    const admin = await mcpClient();
    expect(textOf(await admin.callTool({ name: 'list_knowledge_bases', arguments: {} }))).toContain('secret: HR only');
    await admin.close();
  });

  it('agent mode over MCP and /v1 searches only what the key may read', async () => {
    script = searchThenEcho;
    const key = app.access.keys.create('agent-reader', ['read'], ['handbook']).key;
    const before = model.requests.length;
    const client = await mcpClient(key);
    const asked = await client.callTool({ name: 'ask', arguments: { question: 'directors travel bonus' } });
    expect(asked.isError).toBeFalsy();
    await client.close();
    const v1 = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: key, maxRetries: 0 });
    const ids = (await v1.models.list()).data.map((m) => m.id);
    expect(ids).toContain('agent:handbook');
    expect(ids).not.toContain('agent:secret');
    await v1.chat.completions.create({ model: 'agent', messages: [{ role: 'user', content: 'directors travel bonus' }] });
    await expect(
      v1.chat.completions.create({ model: 'agent:secret', messages: [{ role: 'user', content: 'directors travel bonus' }] }),
    ).rejects.toMatchObject({ status: 404 });
    const seen = JSON.stringify(model.requests.slice(before));
    expect(seen).toContain('Knowledge bases you may search: handbook\\nToday');
    expect(seen).not.toContain('9000 EUR');
  });

  it('refuses callers without the API key', async () => {
    await expect(mcpClient('wrong')).rejects.toThrow();
    const res = await fetch(`${app.url}/mcp`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
  });
});

describe('agent mode on /v1 and in chat', () => {
  const openai = () => new OpenAI({ baseURL: `${app.url}/v1`, apiKey: KEY, maxRetries: 0 });

  it('lists agent models and answers model agent:<kb> with citations', async () => {
    script = searchThenEcho;
    const ids = (await openai().models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['agent', 'agent:handbook']));
    expect(ids).not.toContain('agent:tmp-conversation-files');
    const done = await openai().chat.completions.create({
      model: 'agent:handbook',
      messages: [{ role: 'user', content: 'VPN key' }],
    });
    expect(done.choices[0]?.message.content).toContain('vpnctl rotate');
    expect((done as unknown as { citations: Array<{ file: string }> }).citations[0]?.file).toBe('vpn.md');
  });

  it('streams web console agent answers as typed parts', async () => {
    script = searchThenEcho;
    const res = await fetch(`${app.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ mode: 'agent', question: 'meal allowance 2023' }),
    });
    const body = await res.text();
    expect(body).toContain('event: status');
    expect(body).toContain('Searching handbook, secret for');
    expect(body).toMatch(/event: done\ndata: .*"mode":"agent"/);
  });

  it('/kb agent in a channel never searches the restricted KB bound elsewhere', async () => {
    script = searchThenEcho;
    const before = model.requests.length;
    const parts: ReplyPart[] = [];
    const reply = { write: async (p: ReplyPart) => void parts.push(p), end: async () => undefined };
    await app.runtime?.handle(
      {
        kind: 'command',
        text: 'agent What is the travel bonus for directors?',
        attachments: [],
        platform: 'slack',
        workspace: 'T1',
        channel: 'C-general',
        user: 'U1',
        isDm: false,
        eventId: 'ev-agent-1',
      },
      reply as never,
    );
    const done = parts.find((p) => p.type === 'done');
    expect(done?.type === 'done' && done.answer.mode).toBe('agent');
    expect(parts.some((p) => p.type === 'status' && p.text.startsWith('Searching handbook for'))).toBe(true);
    const seen = JSON.stringify(model.requests.slice(before));
    expect(seen).toContain('Knowledge bases you may search: handbook\\nToday');
    expect(seen).not.toContain('9000 EUR');
    expect(JSON.stringify(parts)).not.toContain('salaries.md');
  });
});
