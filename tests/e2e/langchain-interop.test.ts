import { httpTeamKbClient, localTeamKbClient, TeamKbRetriever, teamKbTools } from 'teamkb/langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDBOOK, SECRET } from '../unit/agent/helpers/agent-fixture.js';
import { startTestApp, type TestApp } from './helpers/app.js';

const KEY = 'lc-key';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ apiKey: KEY });
  const bytes = (files: Record<string, string>) =>
    Object.entries(files).map(([name, text]) => ({ name, bytes: Buffer.from(text) }));
  await app.core.kb.createKb('handbook', { description: 'Company handbook' });
  await app.core.kb.ingestUploads('handbook', bytes(HANDBOOK));
  await app.core.kb.createKb('secret', { description: 'HR only', visibility: 'restricted' });
  await app.core.kb.ingestUploads('secret', bytes(SECRET));
});
afterAll(async () => {
  await app?.close();
});

describe('teamkb/langchain over HTTP with an API key', () => {
  it('retrieves LangChain documents with sources and 0..1 scores', async () => {
    const retriever = new TeamKbRetriever({
      client: httpTeamKbClient({ url: app.url, apiKey: KEY }),
      kbs: ['handbook'],
      topK: 2,
    });
    const docs = await retriever.invoke('meal allowance 2024');
    expect(docs).toHaveLength(2);
    expect(docs[0]?.pageContent).toContain('55 EUR');
    expect(docs[0]?.metadata).toMatchObject({ source: 'travel-2024.md', kb: 'handbook' });
    expect(docs.every((d) => d.metadata.score > 0 && d.metadata.score <= 1)).toBe(true);
    expect(docs[0]?.id).toBe(docs[0]?.metadata.chunkId);
  });

  it('says when the API key is wrong', async () => {
    const retriever = new TeamKbRetriever({ client: httpTeamKbClient({ url: app.url, apiKey: 'nope' }) });
    await expect(retriever.invoke('vpn')).rejects.toThrow(/API key/);
  });

  it('gives tool-calling agents list and search tools', async () => {
    const [list, search] = teamKbTools(httpTeamKbClient({ url: app.url, apiKey: KEY }));
    expect(await list?.invoke({})).toContain('- handbook: Company handbook');
    const found = String(await search?.invoke({ query: 'rotate the VPN key', kb: 'handbook' }));
    expect(found).toMatch(/^\[1\] \(vpn\.md · handbook\)/);
  });
});

describe('teamkb/langchain in process', () => {
  it('searches only what the visibility function allows', async () => {
    const visible = () => app.core.kb.listKbs().filter((k) => k.visibility === 'public');
    const client = localTeamKbClient(app.core.kb, visible);
    const docs = await new TeamKbRetriever({ client }).invoke('travel bonus directors');
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.every((d) => d.metadata.kb === 'handbook')).toBe(true);
    await expect(new TeamKbRetriever({ client, kbs: ['secret'] }).invoke('bonus')).rejects.toThrow(
      'No knowledge base named "secret".',
    );
  });
});
