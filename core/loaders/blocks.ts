import type { BlockMeta, DocBlock, LoadedDoc, SourceFile } from '../documents.js';
import { fileError } from './failures.js';

/** Normalises extracted text: unified newlines, no control characters, no trailing spaces, at most one blank line. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufeff]/g, '')
    .replace(/\f/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Collects blocks, dropping empty ones, so every block's text is non-empty and trimmed. */
export class BlockList {
  readonly blocks: DocBlock[] = [];

  add(text: string, kind: DocBlock['kind'], meta: BlockMeta = {}): void {
    const clean = cleanText(text);
    if (clean) this.blocks.push({ text: clean, kind, meta: withoutUndefined(meta) });
  }

  prose(text: string, meta: BlockMeta = {}): void {
    this.add(text, 'prose', meta);
  }
}

/** The loaded document, or FILE_EMPTY when nothing readable came out of the file. */
export function finishDoc(file: SourceFile, blocks: DocBlock[], warnings: string[] = []): LoadedDoc {
  if (blocks.length === 0) {
    const hint = warnings.length > 0 ? ` (${warnings[0]})` : '';
    throw fileError('FILE_EMPTY', file, `no readable text found in the file${hint}`);
  }
  return { source: file.name, blocks, warnings };
}

function withoutUndefined(meta: BlockMeta): BlockMeta {
  const copy: BlockMeta = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    (copy as Record<string, unknown>)[key] = value;
  }
  return copy;
}
