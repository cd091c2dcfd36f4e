import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentService } from '../../../core/agent/service.js';
import { collectParts, openAgentCore, publicKbs, scriptedModel } from './helpers/agent-fixture.js';
import { type Script, startScriptedOpenAi, toolResults } from './helpers/scripted-openai.js';

let core: Awaited<ReturnType<typeof openAgentCore>>;
beforeAll(async () => {
  core = await openAgentCore();
});
afterAll(async () => {
  await core.close();
});

async function ask(script: Script, kbs?: string[]) {
  const server = await startScriptedOpenAi(script);
  const searched: string[][] = [];
  try {
    const agent = createAgentService({
      // Records which KBs reach the real search, to prove the hidden one never does.
      search: (names, query, opts) => {
        searched.push(names);
        return core.kb.search(names, query, opts);
      },
      visibleKbs: publicKbs(core.kb),
      models: () => scriptedModel(server.url),
    });
    const r = await collectParts(agent.answer({ principal: 'member', question: 'What is the travel bonus?', kbs }));
    const wire = JSON.stringify(server.requests);
    return { ...r, searched, wire, requests: server.requests };
  } finally {
    await server.close();
  }
}

describe('agent and the access policy', () => {
  it('never searches a KB the asker cannot see, even when the model names it', async () => {
    const r = await ask((req, turn) =>
      turn === 0
        ? {
            calls: [
              { name: 'search_knowledge_base', args: { query: 'travel bonus directors', kb: 'secret' } },
              { name: 'search_knowledge_base', args: { query: 'travel bonus directors' } },
              { name: 'list_knowledge_bases', args: {} },
            ],
          }
        : { text: toolResults(req).join('\n---\n') },
    );
    expect(r.error).toBeUndefined();
    expect(r.searched).toEqual([['handbook']]);
    const [named, all, listed] = toolResults(r.requests[1] as never);
    // Hidden reads exactly like missing; the hidden KB's name never appears in what the model is told.
    expect(named).toBe('No knowledge base named "secret" is available. Available: handbook.');
    expect(all).not.toContain('9000');
    expect(listed).toBe('- handbook: Company handbook');
    expect(r.requests[0]?.messages[0]?.content).toContain('Knowledge bases you may search: handbook');
    expect(r.wire).not.toContain('9000 EUR');
    expect(r.done?.citations.every((c) => c.kb === 'handbook')).toBe(true);
  });

  it('refuses to narrow a run to a hidden KB, in the words used for a missing one', async () => {
    const hidden = await ask(() => ({ text: 'x' }), ['secret']);
    const missing = await ask(() => ({ text: 'x' }), ['nope']);
    expect(hidden.error?.code).toBe('KB_NOT_FOUND');
    expect(hidden.error?.message).toBe('No knowledge base named "secret".');
    expect(missing.error?.message).toBe('No knowledge base named "nope".');
    expect(hidden.requests).toHaveLength(0);
  });

  it('searches only the requested KB when narrowed', async () => {
    const r = await ask(
      (_req, turn) => (turn === 0 ? { calls: [{ name: 'search_knowledge_base', args: { query: 'vpn' } }] } : { text: 'ok [1]' }),
      ['handbook'],
    );
    expect(r.searched).toEqual([['handbook']]);
  });
});
