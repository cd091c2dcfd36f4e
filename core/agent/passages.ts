import type { Citation, CitationLink } from '../answer.js';
import { citationFor, citedNumbers, describeSource } from '../answering/prompt.js';
import type { Chunk } from '../chunk.js';
import type { SearchHit } from '../kb-service.js';

export interface WebPassageInput {
  text: string;
  title: string;
  url: string;
  score: number;
}

interface Entry {
  citation: Citation;
  text: string;
  /** KB passages keep their chunk, so the agent can read around them. */
  kb?: string;
  chunk?: Chunk;
}

/**
 * Every passage a run has seen, numbered once in order of first sight. Tool results show these
 * numbers, the model cites them as [n], and the final answer lists exactly the cited ones — in the
 * same Citation shape plain answers use.
 */
export class PassageLedger {
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(private readonly link?: CitationLink) {}

  get size(): number {
    return this.entries.length;
  }

  private add(key: string, make: (n: number) => Entry): number {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const n = this.entries.length + 1;
    this.entries.push(make(n));
    this.byKey.set(key, n);
    return n;
  }

  addHits(hits: SearchHit[]): number[] {
    return hits.map((hit) =>
      this.add(`kb:${hit.kb}:${hit.chunk.id}`, (n) => ({
        citation: citationFor(hit, n, this.link),
        text: hit.chunk.text,
        kb: hit.kb,
        chunk: hit.chunk,
      })),
    );
  }

  addWeb(passages: WebPassageInput[]): number[] {
    return passages.map((p) =>
      this.add(`web:${p.url}:${p.text.slice(0, 64)}`, (n) => ({
        citation: { n, file: p.title || p.url, url: p.url, snippet: p.text.slice(0, 240), score: Number(p.score.toFixed(4)) },
        text: p.text,
      })),
    );
  }

  /** A KB passage by number, for reading around it. */
  chunkOf(n: number): { kb: string; chunk: Chunk } | undefined {
    const entry = this.entries[n - 1];
    return entry?.kb && entry.chunk ? { kb: entry.kb, chunk: entry.chunk } : undefined;
  }

  /** Numbered passages as the model reads them in a tool result. */
  render(numbers: number[]): string {
    return numbers
      .map((n) => {
        const entry = this.entries[n - 1] as Entry;
        const where =
          entry.citation.url && !entry.kb ? `${entry.citation.file} — ${entry.citation.url}` : describeSource(entry.citation);
        return `[${n}] (${where}${entry.kb ? ` · ${entry.kb}` : ''})\n${entry.text}`;
      })
      .join('\n\n');
  }

  /** The citations an answer uses; all passages when it cites none (as plain answers do). */
  citationsFor(text: string): Citation[] {
    const used = citedNumbers(text, this.entries.length);
    const all = this.entries.map((e) => e.citation);
    return used.length > 0 ? all.filter((c) => used.includes(c.n)) : all;
  }

  /** The first passages quoted with their sources, for answers the model did not write. */
  quotes(max = 5): string {
    return this.entries
      .slice(0, max)
      .map((e) => `> ${e.text.replace(/\s+/g, ' ').trim().slice(0, 600)} [${e.citation.n}]\n> — ${describeSource(e.citation)}`)
      .join('\n\n');
  }

  citations(): Citation[] {
    return this.entries.map((e) => e.citation);
  }

  /** KB names (and "web") the passages came from, in order of first use. */
  sources(): string[] {
    return [...new Set(this.entries.map((e) => e.kb ?? 'web'))];
  }
}
