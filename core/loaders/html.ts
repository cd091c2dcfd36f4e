import type { Loader } from '../loader.js';
import { decodeText } from '../text/encoding.js';
import { BlockList, finishDoc } from './blocks.js';
import type { LoaderContext } from './context.js';
import { throwIfAborted } from './failures.js';

/** HTML: the readable article (not menus), one block per heading section. */
export function createHtmlLoader(context: LoaderContext): Loader {
  return {
    extensions: ['html', 'htm', 'xhtml'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      const html = decodeHtml(file.bytes);
      // Loaded on first use: linkedom takes seconds to import, which every parse worker would pay at start.
      const { readableDocument } = await import('../text/readable-html.js');
      const doc = readableDocument(html, undefined, context.limits.html);
      const blocks = new BlockList();
      for (const section of doc.sections) blocks.prose(section.text, { headings: section.headings });
      if (blocks.blocks.length === 0) blocks.prose(doc.title);
      return finishDoc(file, blocks.blocks, doc.warning ? [doc.warning] : []);
    },
  };
}

/** Decodes an HTML page, honouring `<meta charset>` unless the bytes are valid UTF-8 (pages often declare the wrong one). */
export function decodeHtml(bytes: Buffer): string {
  return decodeText(bytes, { declaredCharset: declaredCharset(bytes) }).text;
}

function declaredCharset(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 4096).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}
