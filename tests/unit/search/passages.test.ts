import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../core/text/tokenize.js';
import { cosine01, lexicalScores } from '../../../core/web/lexical-rank.js';
import { splitIntoPassages } from '../../../core/web/passages.js';

describe('splitIntoPassages', () => {
  it('cuts Chinese text at sentence ends into passages of about the requested size', () => {
    const sentence = '密钥每九十天轮换一次，旧密钥在新密钥生效后立即作废。';
    const text = sentence.repeat(60);
    const passages = splitIntoPassages(text, 200);
    expect(passages.length).toBeGreaterThan(5);
    for (const passage of passages) {
      expect(Array.from(passage).length).toBeLessThanOrEqual(200);
      expect(passage.endsWith('。')).toBe(true);
    }
  });

  it('cuts English text at sentence ends and keeps short pages whole', () => {
    const text = 'Rotate the key in the admin console. Then restart every client so it picks up the new key! '.repeat(20);
    const passages = splitIntoPassages(text, 300);
    expect(passages.every((p) => /[.!]$/.test(p))).toBe(true);
    expect(splitIntoPassages('Short page.', 500)).toEqual(['Short page.']);
    expect(splitIntoPassages('   \n  ', 500)).toEqual([]);
  });
});

describe('lexicalScores', () => {
  it('scores passages on 0..1, the one matching all question terms highest', () => {
    const passages = [
      '公司食堂每天中午十一点半开饭。',
      'VPN 密钥每九十天轮换一次，在管理后台点击轮换即可。',
      '密钥管理服务支持自动轮换。',
      'The cafeteria opens at noon.',
    ];
    const scores = lexicalScores('如何轮换 VPN 密钥', passages, tokenize);
    expect(scores[1]).toBeCloseTo(1, 5);
    expect(scores[2]).toBeGreaterThan(0);
    expect(scores[2]).toBeLessThan(scores[1] as number);
    expect(scores[0]).toBe(0);
    expect(scores[3]).toBe(0);
  });

  it('gives zeros when the question has no searchable terms', () => {
    expect(lexicalScores('？？', ['a passage'], tokenize)).toEqual([0]);
  });

  it('clamps cosine to 0..1', () => {
    expect(cosine01(Float32Array.from([1, 0]), Float32Array.from([-1, 0]))).toBe(0);
    expect(cosine01(Float32Array.from([0.6, 0.8]), Float32Array.from([0.6, 0.8]))).toBeCloseTo(1, 5);
  });
});
