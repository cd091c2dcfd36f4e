import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Jieba } from '@node-rs/jieba';

/**
 * Word tokens for BM25, the same for indexing and querying:
 * - text is NFKC-normalised (full-width letters and digits become ASCII) and lower-cased;
 * - jieba's search mode without HMM cuts Chinese into dictionary words plus their shorter dictionary
 *   sub-words (中华人民共和国 → 中华, 人民, 共和国, …), so a query naming part of a compound still matches.
 *   On the CMRC 2018 trial set this gave BM25 top-1 .974 against .963 for plain `cut` with HMM;
 *   HMM guesses unknown words differently depending on context, which splits query and passage apart;
 * - English words and numbers come out whole (jieba keeps ASCII runs together);
 * - tokens without a letter or digit (punctuation, whitespace, emoji) are dropped, and so are
 *   tokens longer than {@link MAX_TOKEN_LENGTH} (hashes, base64), which carry no search value.
 */
export const MAX_TOKEN_LENGTH = 40;

const WORDLIKE = /[\p{L}\p{N}]/u;
const require = createRequire(import.meta.url);
let jieba: Jieba | undefined;

function segmenter(): Jieba {
  if (jieba === undefined) {
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    // The dictionary is read here rather than through `@node-rs/jieba/dict.js`, whose module keeps
    // its bytes (and an unused IDF table) alive for good: the segmenter holds its own copy.
    const dict = readFileSync(join(dirname(require.resolve('@node-rs/jieba/package.json')), 'dict.txt'));
    jieba = JiebaClass.withDict(dict);
  }
  return jieba;
}

export function tokenize(text: string): string[] {
  if (text.length === 0) return [];
  const pieces = segmenter().cutForSearch(text.normalize('NFKC').toLowerCase(), false);
  const tokens: string[] = [];
  for (const piece of pieces) {
    const token = piece.trim();
    if (token.length > 0 && token.length <= MAX_TOKEN_LENGTH && WORDLIKE.test(token)) tokens.push(token);
  }
  return tokens;
}

/** Tokens joined by single spaces, for a full-text column indexed with a whitespace tokenizer. */
export function tokensForIndex(text: string): string {
  return tokenize(text).join(' ');
}
