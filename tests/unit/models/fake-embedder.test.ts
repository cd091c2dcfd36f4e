import { describe, expect, it } from 'vitest';
import { createFakeEmbedder, fakeTokens } from '../../../adapters/models/embedder-fake.js';
import { embedderContract } from '../../contract/embedder.contract.js';

embedderContract('fake', async () => createFakeEmbedder(64), {
  semantic: [
    { anchor: '今天天气很好', similar: '今天是晴天', unrelated: '股票市场下跌' },
    { anchor: 'the cat sat on the mat', similar: 'a cat sat on a mat', unrelated: 'stock prices fell sharply' },
  ],
});

describe('fake embedder', () => {
  it('is named by its dimension', () => {
    expect(createFakeEmbedder(16).id).toBe('fake:16');
    expect(createFakeEmbedder().dim).toBe(64);
  });

  it('tokenizes words, CJK characters and CJK pairs', () => {
    expect(fakeTokens('Hello, World 你好')).toEqual(['hello', 'world', '你', '你好', '好']);
  });
});
