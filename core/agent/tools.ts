import { type StructuredToolInterface, tool } from '@langchain/core/tools';
import { z } from 'zod';
import type { Chunk } from '../chunk.js';
import type { SearchHit } from '../kb-service.js';
import { calculate, formatNumber } from './calculator.js';
import type { PassageLedger } from './passages.js';
import type { KbSearch, KbSummary, ReadAround, WebSearch } from './ports.js';

/** What the tools of one run may touch: only the knowledge bases this asker may see. */
export interface ToolScope {
  search: KbSearch;
  /** Already narrowed to what the principal may see (and to the requested KBs). */
  kbs: KbSummary[];
  ledger: PassageLedger;
  status: (text: string) => void;
  web?: WebSearch;
  readAround?: ReadAround;
  topK?: number;
  signal: AbortSignal;
}

const short = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function unknownKb(name: string, scope: ToolScope): string {
  // Same words whether the KB is missing or hidden from this asker: hidden KBs are never named.
  const names = scope.kbs.map((kb) => kb.name).join(', ') || 'none';
  return `No knowledge base named "${name}" is available. Available: ${names}.`;
}

function listTool(scope: ToolScope) {
  return tool(
    async () => {
      scope.status('Listing knowledge bases…');
      if (scope.kbs.length === 0) return 'No knowledge bases are available.';
      return scope.kbs.map((kb) => `- ${kb.name}${kb.description ? `: ${kb.description}` : ''}`).join('\n');
    },
    {
      name: 'list_knowledge_bases',
      description: 'List the knowledge bases you may search, with what each holds.',
      schema: z.object({}),
    },
  );
}

function searchTool(scope: ToolScope) {
  return tool(
    async ({ query, kb }: { query: string; kb?: string }) => {
      const names = kb ? scope.kbs.filter((k) => k.name === kb).map((k) => k.name) : scope.kbs.map((k) => k.name);
      if (kb && names.length === 0) return unknownKb(kb, scope);
      if (names.length === 0) return 'No knowledge bases are available to search.';
      scope.status(`Searching ${kb ?? names.join(', ')} for “${short(query)}”…`);
      const hits: SearchHit[] = await scope.search(names, query, { topK: scope.topK });
      if (hits.length === 0) return `No passages in ${names.join(', ')} match "${query}".`;
      return scope.ledger.render(scope.ledger.addHits(hits));
    },
    {
      name: 'search_knowledge_base',
      description:
        'Search the team knowledge bases. Returns numbered passages; cite them as [n]. Leave kb empty to search every available knowledge base.',
      schema: z.object({
        query: z.string().min(1).describe('What to look for, in the words the documents likely use'),
        kb: z.string().optional().describe('Name of one knowledge base (see list_knowledge_bases)'),
      }),
    },
  );
}

function readAroundTool(scope: ToolScope, readAround: ReadAround) {
  return tool(
    async ({ passage }: { passage: number }) => {
      const found = scope.ledger.chunkOf(passage);
      if (!found || !scope.kbs.some((kb) => kb.name === found.kb)) {
        return `Passage [${passage}] is not a knowledge-base passage found in this conversation.`;
      }
      scope.status(`Reading more of ${found.chunk.meta.source} around [${passage}]…`);
      const around: Chunk[] = await readAround(found.kb, found.chunk, scope.signal);
      const hits = around.map((chunk) => ({ kb: found.kb, chunk, score: 1 }));
      if (hits.length === 0) return `Nothing more is stored around passage [${passage}].`;
      return scope.ledger.render(scope.ledger.addHits(hits));
    },
    {
      name: 'read_around_passage',
      description: 'Read the text just before and after a knowledge-base passage, by its number [n].',
      schema: z.object({ passage: z.number().int().min(1).describe('The passage number n of [n]') }),
    },
  );
}

function webTool(scope: ToolScope, web: WebSearch) {
  return tool(
    async ({ query }: { query: string }) => {
      scope.status(`Searching the web for “${short(query)}”…`);
      const { passages } = await web(query, scope.signal);
      if (passages.length === 0) return `The web search for "${query}" found nothing relevant.`;
      return scope.ledger.render(scope.ledger.addWeb(passages));
    },
    {
      name: 'web_search',
      description: 'Search the public web for current or general facts. Returns numbered passages with links; cite them as [n].',
      schema: z.object({ query: z.string().min(1).describe('Search engine query') }),
    },
  );
}

function calculatorTool(scope: ToolScope) {
  return tool(
    async ({ expression }: { expression: string }) => {
      scope.status(`Calculating ${short(expression, 40)}…`);
      return `${expression} = ${formatNumber(calculate(expression))}`;
    },
    {
      name: 'calculator',
      description: 'Exact arithmetic: + - * / % ^, parentheses, sqrt, abs, round, ln, log10, exp, pi, percentages like 15%.',
      schema: z.object({ expression: z.string().min(1).describe('e.g. (1200 - 950) / 950 * 100') }),
    },
  );
}

/** The tools of one run; web search and reading around passages only when the service has them. */
export function agentTools(scope: ToolScope): StructuredToolInterface[] {
  return [
    listTool(scope),
    searchTool(scope),
    ...(scope.readAround ? [readAroundTool(scope, scope.readAround)] : []),
    ...(scope.web ? [webTool(scope, scope.web)] : []),
    calculatorTool(scope),
  ];
}
