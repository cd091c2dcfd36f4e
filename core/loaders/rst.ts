import type { Loader } from '../loader.js';
import { decodeText } from '../text/encoding.js';
import { BlockList, finishDoc } from './blocks.js';
import { throwIfAborted } from './failures.js';
import { SectionWriter } from './sections.js';

const ADORNMENT = /^([=\-~`#"^+*:.'_<>!$%&(),/;?@[\\\]{|}])\1{2,}\s*$/;

/** reStructuredText: section titles (underlined, optionally overlined) split the text; levels follow first use of each style. */
export function createRstLoader(): Loader {
  return {
    extensions: ['rst'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      const lines = decodeText(file.bytes).text.split(/\r\n?|\n/);
      const blocks = new BlockList();
      const sections = new SectionWriter(blocks);
      const styles: string[] = [];
      const levelOf = (style: string) => {
        if (!styles.includes(style)) styles.push(style);
        return styles.indexOf(style) + 1;
      };
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        const next = lines[i + 1] ?? '';
        const after = lines[i + 2] ?? '';
        if (ADORNMENT.test(line) && next.trim() && ADORNMENT.test(after) && after.trim()[0] === line.trim()[0]) {
          sections.heading(levelOf(`over${line.trim()[0]}`), next);
          i += 2;
          continue;
        }
        if (line.trim() && !/^\s/.test(line) && ADORNMENT.test(next) && next.trim().length >= line.trim().length - 1) {
          sections.heading(levelOf(next.trim()[0]!), line);
          i++;
          continue;
        }
        if (ADORNMENT.test(line) && !line.trim().startsWith('..')) continue; // transition line
        if (/^\.\.\s+(\w[\w-]*::|_|\[)/.test(line)) continue; // directive, target or footnote label line
        sections.line(line.replace(/`([^`<]+?)\s*<[^>]+>`_+/g, '$1').replace(/``([^`]+)``/g, '$1'));
      }
      sections.flush();
      return finishDoc(file, blocks.blocks);
    },
  };
}
