import type { KbService, SearchHit } from '../../core/kb-service.js';

/** A KbService whose search returns the given passages for any query containing one of their words. */
export function passagesKb(passages: Array<{ kb: string; source: string; text: string; page?: number }>): KbService & {
  queries: string[];
} {
  const queries: string[] = [];
  const notUsed = () => {
    throw new Error('not used in this test');
  };
  return {
    queries,
    async search(kbs, query, opts) {
      queries.push(query);
      const words = query
        .toLowerCase()
        .split(/\W+/)
        .filter((w) => w.length > 3);
      const hits: SearchHit[] = passages
        .filter((p) => kbs.includes(p.kb) && words.some((w) => p.text.toLowerCase().includes(w)))
        .map((p, i) => ({
          kb: p.kb,
          score: 0.9 - i * 0.1,
          chunk: { id: `c${i}`, fileId: `f${i}`, ordinal: i, text: p.text, meta: { source: p.source, page: p.page } },
        }));
      return hits.slice(0, opts?.topK ?? 5);
    },
    listKbs: () => [],
    getKb: notUsed,
    createKb: notUsed,
    deleteKb: notUsed,
    listFiles: notUsed,
    removeFile: notUsed,
    ingestUploads: notUsed,
    reindex: notUsed,
    sourcePath: notUsed,
    listJobs: notUsed,
    getJob: notUsed,
    cancelJob: notUsed,
  };
}
