import { type StructuredToolInterface, tool } from '@langchain/core/tools';
import { z } from 'zod';
import type { TeamKbClient } from './client.js';

/** TeamKB as LangChain tools for any tool-calling agent: list knowledge bases and search them. */
export function teamKbTools(client: TeamKbClient, opts: { topK?: number } = {}): StructuredToolInterface[] {
  const list = tool(
    async () => {
      const kbs = await client.listKnowledgeBases();
      return kbs.map((k) => `- ${k.name}${k.description ? `: ${k.description}` : ''}`).join('\n') || 'No knowledge bases.';
    },
    {
      name: 'teamkb_list_knowledge_bases',
      description: "List the team's knowledge bases and what each holds.",
      schema: z.object({}),
    },
  );
  const search = tool(
    async ({ query, kb }: { query: string; kb?: string }) => {
      const passages = await client.search(query, { kbs: kb ? [kb] : undefined, topK: opts.topK });
      if (passages.length === 0) return `No passages match "${query}".`;
      return passages
        .map((p, i) => `[${i + 1}] (${p.source}${p.page !== undefined ? `, p.${p.page}` : ''} · ${p.kb})\n${p.text}`)
        .join('\n\n');
    },
    {
      name: 'teamkb_search',
      description: "Search the team's knowledge bases; returns numbered passages with their source files.",
      schema: z.object({
        query: z.string().min(1).describe('What to look for'),
        kb: z.string().optional().describe('One knowledge base name; default all'),
      }),
    },
  );
  return [list, search];
}
