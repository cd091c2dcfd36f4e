import type { Citation, CitationLink } from '../answer.js';
import type { SearchHit } from '../kb-service.js';

/** Fills {name} placeholders; unknown placeholders are left as they are. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

export const isChinese = (text: string): boolean => CJK.test(text);

export function citationFor(hit: SearchHit, n: number, link?: CitationLink): Citation {
  const { meta } = hit.chunk;
  const section = meta.heading ?? (meta.sheet ? `${meta.sheet}${meta.row ? ` row ${meta.row}` : ''}` : undefined);
  const citation: Citation = {
    n,
    file: meta.source,
    snippet: hit.chunk.text.slice(0, 240),
    kb: hit.kb,
    chunkId: hit.chunk.id,
    score: Number(hit.score.toFixed(4)),
  };
  if (meta.page !== undefined) citation.page = meta.page;
  if (section) citation.section = section;
  const url = link?.(hit.kb, meta.source, hit.chunk.id);
  if (url) citation.url = url;
  return citation;
}

export function describeSource(c: Pick<Citation, 'file' | 'page' | 'section'>): string {
  const parts = [c.file];
  if (c.page !== undefined) parts.push(`p.${c.page}`);
  if (c.section) parts.push(c.section);
  return parts.join(', ');
}

/** Numbered passages for the prompt: "[1] (guide.pdf, p.3)\n<text>". */
export function formatContext(hits: SearchHit[]): string {
  return hits.map(formatPassage).join('\n\n');
}

export function formatPassage(h: SearchHit, i: number): string {
  return `[${i + 1}] (${describeSource(citationFor(h, i + 1))})\n${h.chunk.text}`;
}

/** The citation numbers an answer actually uses, in order of first use. */
export function citedNumbers(text: string, max: number): number[] {
  const seen: number[] = [];
  for (const m of text.matchAll(/\[(\d{1,3})\]/g)) {
    const n = Number(m[1]);
    if (n >= 1 && n <= max && !seen.includes(n)) seen.push(n);
  }
  return seen;
}
