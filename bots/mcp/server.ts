import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AnswerPart, Citation } from '../../core/answer.js';
import { describeSource } from '../../core/answering/prompt.js';
import { describeError, TeamKbError } from '../../core/errors.js';
import type { AnswerService, KbService } from '../../core/kb-service.js';
import type { Principal } from '../../core/principal.js';
import type { VisibleKbs } from '../runtime/agent-principal.js';
import type { ServerAgent } from '../server/agent-route.js';

export interface McpDeps {
  kb: KbService;
  answers: AnswerService;
  agent?: ServerAgent;
  visibleKbs: VisibleKbs;
}

type ToolResult = {
  content: Array<{ type: 'text'; text: string }>;
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
};

const text = (value: string, structured?: Record<string, unknown>): ToolResult => ({
  content: [{ type: 'text', text: value }],
  ...(structured ? { structuredContent: structured } : {}),
});

/** Errors become tool results the assistant can read, never protocol failures. */
async function guarded(run: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await run();
  } catch (err) {
    return { content: [{ type: 'text', text: describeError(err) }], isError: true };
  }
}

function checkedKbs(deps: McpDeps, principal: Principal, names: string[] | undefined): string[] {
  const visible = deps.visibleKbs(principal).map((kb) => kb.name);
  if (!names?.length) return visible;
  for (const name of names) {
    // Hidden and missing read the same.
    if (!visible.includes(name)) throw new TeamKbError('KB_NOT_FOUND', `No knowledge base named "${name}".`);
  }
  return names;
}

const sourceLine = (c: Citation) => `[${c.n}] ${describeSource(c)}${c.kb ? ` · ${c.kb}` : ''}${c.url ? ` — ${c.url}` : ''}`;

async function collectAnswer(parts: AsyncIterable<AnswerPart>): Promise<ToolResult> {
  for await (const part of parts) {
    if (part.type === 'error') return { content: [{ type: 'text', text: part.message }], isError: true };
    if (part.type === 'done') {
      const { markdown, citations, sources, mode } = part.answer;
      const body = citations.length ? `${markdown}\n\nSources:\n${citations.map(sourceLine).join('\n')}` : markdown;
      return text(body, { answer: markdown, citations, sources, mode });
    }
  }
  throw new TeamKbError('INTERNAL', 'The answer stopped before it was complete.');
}

/** TeamKB as MCP tools for one principal: list, search and ask within what it may see. */
export function createMcpServer(deps: McpDeps, principal: Principal): McpServer {
  const server = new McpServer({ name: 'teamkb', version: '0.1.0' });

  server.registerTool(
    'list_knowledge_bases',
    { description: 'List the TeamKB knowledge bases you may search, with descriptions and file counts.', inputSchema: {} },
    () =>
      guarded(async () => {
        const kbs = deps.visibleKbs(principal).map((kb) => ({
          name: kb.name,
          description: kb.description,
          files: deps.kb.listFiles(kb.name).length,
        }));
        const lines = kbs.map((k) => `- ${k.name}${k.description ? `: ${k.description}` : ''} (${k.files} files)`);
        return text(lines.join('\n') || 'No knowledge bases are available.', { knowledgeBases: kbs });
      }),
  );

  server.registerTool(
    'search',
    {
      description: 'Search TeamKB knowledge bases; returns the best passages with their sources and 0..1 scores.',
      inputSchema: {
        query: z.string().min(1).describe('What to look for'),
        kbs: z.array(z.string()).optional().describe('Knowledge bases to search (default: all you may see)'),
        top_k: z.number().int().min(1).max(50).optional(),
      },
    },
    ({ query, kbs, top_k }) =>
      guarded(async () => {
        const names = checkedKbs(deps, principal, kbs);
        if (names.length === 0) return text('No knowledge bases are available to search.', { passages: [] });
        const hits = await deps.kb.search(names, query, { topK: top_k });
        const passages = hits.map((h, i) => ({
          n: i + 1,
          kb: h.kb,
          file: h.chunk.meta.source,
          page: h.chunk.meta.page,
          section: h.chunk.meta.heading,
          score: Number(h.score.toFixed(4)),
          text: h.chunk.text,
        }));
        const body = passages.map(
          (p) => `[${p.n}] ${p.file}${p.page !== undefined ? ` p.${p.page}` : ''} · ${p.kb} · score ${p.score}\n${p.text}`,
        );
        return text(body.join('\n\n') || `No passages match "${query}".`, { passages });
      }),
  );

  server.registerTool(
    'ask',
    {
      description:
        'Ask TeamKB a question. With kb: an answer from that knowledge base; without kb (or with agent: true): agent mode searches every knowledge base you may see. Answers cite [n] sources.',
      inputSchema: {
        question: z.string().min(1),
        kb: z.string().optional().describe('One knowledge base to answer from'),
        agent: z.boolean().optional().describe('Let the model search step by step (needs a tool-calling model)'),
      },
    },
    ({ question, kb, agent }, extra) =>
      guarded(async () => {
        const kbs = kb ? checkedKbs(deps, principal, [kb]) : undefined;
        if (agent || !kbs) {
          if (!deps.agent) throw new TeamKbError('LLM_UNAVAILABLE', 'Agent mode is not set up; name a kb to ask it directly.');
          return collectAnswer(deps.agent.service.answer({ principal, question, kbs, signal: extra.signal }));
        }
        return collectAnswer(deps.answers.answer({ mode: 'kb', question, kbs, signal: extra.signal }));
      }),
  );
  return server;
}
