import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, looksLikeText } from '../../../core/text/encoding.js';

const SAMPLE = '知识库问答 TeamKB：支持中文与 English 混排。\n第二行，带标点！\n';

describe('decodeText', () => {
  it.each([
    ['utf-8', Buffer.from(SAMPLE, 'utf8'), 'utf-8'],
    ['utf-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]), 'utf-8-bom'],
    ['utf-16le with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(SAMPLE, 'utf-16le')]), 'utf-16le'],
    ['utf-16be with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(SAMPLE, 'utf-16be')]), 'utf-16be'],
    ['utf-16le without BOM', iconv.encode(SAMPLE, 'utf-16le'), 'utf-16le'],
    ['utf-16be without BOM', iconv.encode(SAMPLE, 'utf-16be'), 'utf-16be'],
    ['gb18030', iconv.encode(SAMPLE, 'gb18030'), 'gb18030'],
    ['gbk (short)', iconv.encode('中文', 'gbk'), 'gb18030'],
  ])('%s', (_label, bytes, encoding) => {
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text).toBe(bytes.length < 10 ? '中文' : SAMPLE);
  });

  it('uses a declared charset only when the bytes are not UTF-8', () => {
    expect(decodeText(Buffer.from(SAMPLE, 'utf8'), { declaredCharset: 'gb2312' }).text).toBe(SAMPLE);
    const big5 = iconv.encode('繁體中文測試', 'big5');
    expect(decodeText(big5, { declaredCharset: 'big5' })).toEqual({ text: '繁體中文測試', encoding: 'big5' });
  });

  it('reads Latin-1 text as a Western code page, not as Chinese', () => {
    const decoded = decodeText(iconv.encode('Café crème brûlée, déjà vu. Naïve façade.', 'latin1'));
    expect(decoded.text).toBe('Café crème brûlée, déjà vu. Naïve façade.');
  });

  it('tells text from binary', () => {
    expect(looksLikeText(iconv.encode(SAMPLE, 'gb18030'))).toBe(true);
    expect(looksLikeText(iconv.encode(SAMPLE, 'utf-16le'))).toBe(true);
    expect(looksLikeText(Buffer.from([0x00, 0x01, 0x02, 0x03, 0x89, 0x50, 0x00, 0x00, 0x10]))).toBe(false);
  });
});
