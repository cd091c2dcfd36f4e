import type { Loader } from '../loader.js';
import { decodeText } from '../text/encoding.js';
import { renderMarkdown } from '../text/markdown-text.js';
import { BlockList, finishDoc } from './blocks.js';
import { throwIfAborted } from './failures.js';
import { SectionWriter } from './sections.js';

/**
 * Markdown: one block per heading section. Parsed with a CommonMark/GFM lexer, so fenced code is
 * never a heading, code and literal `<placeholders>` are kept as written, and markup leaves only
 * its words.
 */
export function createMarkdownLoader(): Loader {
  return {
    extensions: ['md', 'markdown'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      const blocks = new BlockList();
      const sections = new SectionWriter(blocks);
      renderMarkdown(decodeText(file.bytes).text, {
        heading: (level, text) => sections.heading(level, text),
        line: (text) => sections.line(text),
      });
      sections.flush();
      return finishDoc(file, blocks.blocks);
    },
  };
}
