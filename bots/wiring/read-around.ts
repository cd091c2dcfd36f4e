import type { ReadAround } from '../../core/agent/ports.js';
import type { Chunk } from '../../core/chunk.js';
import type { CoreServices } from '../core-services.js';

/**
 * The chunks next to one chunk of the same file: a keyword search inside that file for the chunk's
 * own words (neighbours share the overlap), kept to ordinals one either side.
 */
export function readAroundFromStore(core: Pick<CoreServices, 'store'>): ReadAround {
  return async (kb: string, chunk: Chunk) => {
    const hits = await core.store.search(kb, {
      mode: 'bm25',
      text: chunk.text.slice(0, 400),
      topK: 50,
      filter: { fileIds: [chunk.fileId] },
    });
    const near = new Map<number, Chunk>([[chunk.ordinal, chunk]]);
    for (const hit of hits) {
      if (Math.abs(hit.chunk.ordinal - chunk.ordinal) <= 1) near.set(hit.chunk.ordinal, hit.chunk);
    }
    return [...near.values()].sort((a, b) => a.ordinal - b.ordinal);
  };
}
