import type { BlockMeta } from '../documents.js';
import type { BlockList } from './blocks.js';

/** The part of officeparser's AST node the loaders read. */
export interface AstNode {
  type: string;
  text?: string;
  children?: AstNode[];
  notes?: AstNode[];
  metadata?: { level?: number; slideNumber?: number; [key: string]: unknown };
}

const CONTAINERS = new Set(['list', 'definitionList', 'slide', 'note', 'cell', 'row', 'sheet', 'admonition', 'blockquote']);
const BLOCK_CHILDREN = new Set([
  'paragraph',
  'heading',
  'list',
  'table',
  'definitionList',
  'listItem',
  'definitionTerm',
  'definitionDescription',
]);

/** Text of any node: tables as "cell | cell" lines, lists one item per line, images dropped. */
export function nodeText(node: AstNode): string {
  if (node.type === 'image' || node.type === 'break') return '';
  if (node.type === 'table') {
    return (node.children ?? [])
      .map((row) =>
        (row.children ?? [])
          .map(nodeText)
          .map((cell) => cell.replace(/\s*\n\s*/g, ' ').trim())
          .filter(Boolean)
          .join(' | '),
      )
      .filter(Boolean)
      .join('\n');
  }
  const children = node.children ?? [];
  if (CONTAINERS.has(node.type) || children.some((child) => BLOCK_CHILDREN.has(child.type))) {
    return children.map(nodeText).filter(Boolean).join('\n');
  }
  return node.text ?? children.map(nodeText).join('');
}

/** Flowing documents (docx, odt, rtf, epub): one prose block per heading section, tables as their own blocks. */
export function addDocumentBlocks(content: AstNode[], blocks: BlockList): void {
  const path: { level: number; text: string }[] = [];
  let lines: string[] = [];
  const headings = () => path.map((entry) => entry.text);
  let headingOnly = false;
  const flush = () => {
    // A heading with no body of its own still reaches the blocks below it through meta.headings.
    if (!headingOnly) blocks.prose(lines.join('\n'), { headings: headings() });
    lines = [];
    headingOnly = false;
  };
  const notes: string[] = [];
  const seenNotes = new Set<AstNode>();

  for (const node of content) {
    collectNotes(node, notes, seenNotes);
    if (node.type === 'heading') {
      const text = oneLine(nodeText(node));
      if (!text) continue;
      flush();
      const level = node.metadata?.level ?? 1;
      while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
      path.push({ level, text });
      lines.push(text);
      headingOnly = true;
    } else if (node.type === 'table') {
      flush();
      blocks.add(nodeText(node), 'table', { headings: headings() });
    } else {
      const text = nodeText(node);
      if (text.trim()) {
        lines.push(text);
        headingOnly = false;
      }
    }
  }
  flush();
  blocks.prose(notes.join('\n'), { headings: ['Notes'] });
}

/** Presentations (pptx, odp): one block per slide with its speaker notes, titled by its first heading. */
export function addSlideBlocks(content: AstNode[], blocks: BlockList): void {
  content.forEach((slide, index) => {
    const meta: BlockMeta = { slide: slide.metadata?.slideNumber ?? index + 1 };
    const title = (slide.children ?? []).find((child) => child.type === 'heading');
    if (title) meta.headings = [oneLine(nodeText(title))].filter(Boolean);
    const notes = (slide.notes ?? []).map(nodeText).filter(Boolean);
    blocks.prose([nodeText(slide), ...notes].join('\n'), meta);
  });
}

function collectNotes(node: AstNode, notes: string[], seen: Set<AstNode>): void {
  for (const note of node.notes ?? []) {
    if (seen.has(note)) continue;
    seen.add(note);
    const text = nodeText(note).trim();
    if (text) notes.push(text);
  }
  for (const child of node.children ?? []) collectNotes(child, notes, seen);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
