import type { Loader } from '../loader.js';
import { decodeText } from '../text/encoding.js';
import { BlockList, finishDoc } from './blocks.js';
import { throwIfAborted } from './failures.js';

/** Plain text in any common encoding, as one prose block. */
export function createTextLoader(): Loader {
  return {
    extensions: ['txt'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      const blocks = new BlockList();
      blocks.prose(decodeText(file.bytes).text);
      return finishDoc(file, blocks.blocks);
    },
  };
}
