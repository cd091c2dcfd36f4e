import { describe, expect, it } from 'vitest';
import { planBatches } from '../../../adapters/models/batching.js';
import { embedderFamily, prepareText } from '../../../adapters/models/embedder-family.js';
import { endpointUrl, retryDelayMs } from '../../../adapters/models/openai-http.js';
import { sseData } from '../../../adapters/models/sse.js';

describe('embedder families', () => {
  it('uses CLS pooling and lower-casing for bge Chinese models, with no query instruction by default', () => {
    const bge = embedderFamily('bge-small-zh-v1.5');
    expect(bge).toMatchObject({ name: 'bge', pooling: 'cls', lowercase: true });
    expect(prepareText(bge, 'Hello 世界', 'query')).toBe('hello 世界');
    const instructed = embedderFamily('Xenova/bge-small-zh-v1.5', { queryInstruction: true });
    expect(prepareText(instructed, '天气', 'query')).toBe('为这个句子生成表示以用于检索相关文章：天气');
    expect(prepareText(instructed, '天气', 'passage')).toBe('天气');
    expect(embedderFamily('bge-small-en-v1.5', { queryInstruction: true }).queryPrefix).toMatch(/^Represent this sentence/);
    expect(embedderFamily('bge-m3').lowercase).toBe(false);
  });

  it('uses mean pooling and query/passage prefixes for e5 models', () => {
    const e5 = embedderFamily('multilingual-e5-small');
    expect(e5).toMatchObject({ name: 'e5', pooling: 'mean', lowercase: false });
    expect(prepareText(e5, 'Wie geht es?', 'query')).toBe('query: Wie geht es?');
    expect(prepareText(e5, 'Text', 'passage')).toBe('passage: Text');
    expect(embedderFamily('intfloat/e5-small-v2').name).toBe('e5');
  });

  it('falls back to mean pooling without prefixes', () => {
    expect(embedderFamily('all-MiniLM-L6-v2')).toMatchObject({ name: 'generic', pooling: 'mean', queryPrefix: '' });
  });
});

describe('batch planning', () => {
  it('sorts by length, groups short texts and sends long ones alone', () => {
    const lengths = [300, 10, 20, 10, 600, 15];
    const batches = planBatches(lengths, { maxBatchSize: 3, maxBatchChars: 100 });
    expect(batches).toEqual([[1, 3, 5], [2], [0], [4]]);
    expect(batches.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('openai-compatible HTTP details', () => {
  it('adds /v1 to a bare origin and keeps an explicit path', () => {
    expect(endpointUrl('http://h:8000', 'embeddings')).toBe('http://h:8000/v1/embeddings');
    expect(endpointUrl('http://h:8000/v1/', 'chat/completions')).toBe('http://h:8000/v1/chat/completions');
    expect(endpointUrl('https://api.example.com/beta', 'embeddings')).toBe('https://api.example.com/beta/embeddings');
  });

  it('waits as long as Retry-After says, else backs off exponentially, within a cap', () => {
    expect(retryDelayMs('2', 0, 500, 20_000)).toBe(2000);
    expect(retryDelayMs('120', 0, 500, 20_000)).toBe(20_000);
    expect(retryDelayMs(null, 3, 500, 20_000)).toBe(4000);
    const inAMoment = new Date(Date.now() + 3000).toUTCString();
    expect(retryDelayMs(inAMoment, 0, 500, 20_000)).toBeGreaterThan(1000);
  });

  it('parses server-sent events split across chunks', async () => {
    const encoder = new TextEncoder();
    const pieces = ['data: {"a"', ':1}\r\n\r\n: comment\n', 'data: line1\ndata: line2\n\n', 'data: [DONE]'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of pieces) controller.enqueue(encoder.encode(p));
        controller.close();
      },
    });
    const events: string[] = [];
    for await (const data of sseData(body)) events.push(data);
    expect(events).toEqual(['{"a":1}', 'line1\nline2', '[DONE]']);
  });
});
