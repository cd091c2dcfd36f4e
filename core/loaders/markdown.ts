import type { Loader } from '../loader.js';
import { decodeText } from '../text/encoding.js';
import { BlockList, finishDoc } from './blocks.js';
import { throwIfAborted } from './failures.js';
import { SectionWriter } from './sections.js';

/** Markdown: one block per heading section (ATX and setext headings; fenced code is never a heading). */
export function createMarkdownLoader(): Loader {
  return {
    extensions: ['md', 'markdown'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      const lines = decodeText(file.bytes).text.split(/\r\n?|\n/);
      const blocks = new BlockList();
      const sections = new SectionWriter(blocks);
      let fence: string | undefined;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
        if (fenceMark && (!fence || fenceMark.startsWith(fence))) {
          fence = fence ? undefined : fenceMark;
          continue;
        }
        if (fence) {
          sections.line(line);
          continue;
        }
        const atx = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
        if (atx) {
          sections.heading(atx[1]!.length, inlineText(atx[2]!));
          continue;
        }
        const next = lines[i + 1];
        if (next !== undefined && line.trim() && !/^\s*[-*+>|]/.test(line) && /^\s{0,3}(=+|-+)\s*$/.test(next)) {
          sections.heading(next.trim().startsWith('=') ? 1 : 2, inlineText(line));
          i++;
          continue;
        }
        if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line) && line.includes('|')) continue; // table rule
        sections.line(inlineText(line));
      }
      sections.flush();
      return finishDoc(file, blocks.blocks);
    },
  };
}

/** Keeps the words of inline markup: link and image text without targets, no HTML tags or emphasis marks. */
function inlineText(line: string): string {
  return line
    .replace(/<!--.*?-->/g, '')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
}
