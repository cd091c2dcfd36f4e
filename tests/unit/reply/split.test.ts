import { describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../../bots/reply/split.js';

const LIMIT = 2000;

/** Content without whitespace and fence lines (the splitter adds fence lines where it cuts a code block). */
const squash = (s: string) => s.replace(/^```.*$/gm, '').replace(/\s+/g, '');

function fencesBalanced(chunk: string): boolean {
  return (chunk.match(/^```/gm) ?? []).length % 2 === 0;
}

const citations = Array.from(
  { length: 40 },
  (_, i) => `[${i + 1}] [handbook-${i + 1}.pdf p.${i + 3}](https://kb.example.com/files/${i + 1}?p=${i + 3})`,
);

const cases: { name: string; text: string; check?: (chunks: string[]) => void }[] = [
  { name: 'short text stays one message', text: 'Hello there.', check: (c) => expect(c).toEqual(['Hello there.']) },
  {
    name: 'English paragraphs split at a paragraph break',
    text: Array.from({ length: 30 }, (_, i) => `Paragraph ${i} explains one step of rotating the VPN key in some detail.`).join(
      '\n\n',
    ),
    check: (c) => {
      for (const chunk of c.slice(0, -1)) expect(chunk).toMatch(/detail\.$/);
    },
  },
  {
    name: 'Chinese sentences split after 。！？',
    text: '这是关于轮换密钥的第一句说明。请先备份旧的配置文件！然后呢？'.repeat(120),
    check: (c) => {
      expect(c.length).toBeGreaterThan(1);
      for (const chunk of c.slice(0, -1)) expect(chunk).toMatch(/[。！？]$/);
    },
  },
  {
    name: 'Chinese without any punctuation falls back to a hard cut',
    text: '汉'.repeat(4500),
    check: (c) => expect(c.length).toBe(3),
  },
  {
    name: 'a code fence cut in two is closed and reopened with its language',
    text: `Run this:\n\n\`\`\`ts\n${Array.from({ length: 150 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`).join('\n')}\n\`\`\`\n\nDone.`,
    check: (c) => {
      expect(c.length).toBeGreaterThan(1);
      for (const chunk of c) expect(fencesBalanced(chunk)).toBe(true);
      expect(c[1]).toMatch(/^```ts\n/);
    },
  },
  {
    name: 'a code block that fits is moved whole to the next message',
    text: `${'Intro sentence here. '.repeat(80)}\n\n\`\`\`sh\n${'echo hello\n'.repeat(40)}\`\`\``,
    check: (c) => {
      expect(c).toHaveLength(2);
      expect(c[1]).toMatch(/^```sh\n/);
      expect(c[1]).toMatch(/```$/);
    },
  },
  {
    name: 'citations at the boundary stay whole',
    text: `${'word '.repeat(385)}${citations.join(' ')}`,
    check: (c) => {
      for (const chunk of c) {
        const opens = (chunk.match(/\[/g) ?? []).length;
        const closes = (chunk.match(/\]/g) ?? []).length;
        expect(opens).toBe(closes);
        expect(chunk).not.toMatch(/\]\([^)]*$/);
        expect(chunk).not.toMatch(/\[\d+\]$/);
      }
    },
  },
  {
    name: 'a citation list on its own lines splits between lines',
    text: `${'Answer text. '.repeat(100)}\n\n${citations.join('\n')}`,
    check: (c) => {
      for (const chunk of c.slice(1))
        expect(chunk.split('\n').every((l) => /^\[\d+\] \[/.test(l) || !l.startsWith('['))).toBe(true);
    },
  },
  {
    name: 'a long list splits between items, never inside an item or before a nested line',
    text: Array.from(
      { length: 60 },
      (_, i) =>
        `${i + 1}. Step ${i + 1} of the rotation, described at length so the list is long.\n   - detail for step ${i + 1}`,
    ).join('\n'),
    check: (c) => {
      expect(c.length).toBeGreaterThan(1);
      for (const chunk of c) {
        expect(chunk).toMatch(/^\d+\. Step/);
        expect(chunk).toMatch(/detail for step \d+$/);
      }
    },
  },
  {
    name: 'a nested list item is not cut off from its parent when a top-level line is near',
    text: `${'Intro. '.repeat(200)}\n- parent item\n  - child one\n  - child two\n${'- sibling item\n'.repeat(80)}`,
    check: (c) => {
      for (const chunk of c.slice(1)) expect(chunk).not.toMatch(/^\s/);
    },
  },
  {
    name: 'an emoji pair at a hard cut is not torn',
    text: '😀'.repeat(2100),
    check: (c) => {
      for (const chunk of c) expect(chunk).not.toMatch(/[\uD800-\uDBFF]$/);
    },
  },
];

describe('splitMarkdown', () => {
  it.each(cases)('$name', ({ text, check }) => {
    const chunks = splitMarkdown(text, { limit: LIMIT });
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(LIMIT);
      expect(chunk.trim().length).toBeGreaterThan(0);
    }
    expect(squash(chunks.join('\n'))).toBe(squash(text));
    check?.(chunks);
  });
});

describe('splitMarkdown with a platform measure', () => {
  const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

  it('keeps every piece within a byte limit, Chinese and emoji included', () => {
    const text = '这是关于轮换密钥的说明😀'.repeat(400);
    const pieces = splitMarkdown(text, { limit: 1000, measure: utf8 });
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(utf8(piece)).toBeLessThanOrEqual(1000);
      expect(piece).not.toMatch(/[\uD800-\uDBFF]$/);
      expect(piece).not.toMatch(/^[\uDC00-\uDFFF]/);
    }
    expect(pieces.join('')).toBe(text);
  });

  it('measures the converted text, so escaping that grows it still fits', () => {
    const escaped = (s: string) => s.replace(/</g, '&lt;').length;
    const text = 'a < b and c < d. '.repeat(300);
    for (const piece of splitMarkdown(text, { limit: 500, measure: escaped })) expect(escaped(piece)).toBeLessThanOrEqual(500);
  });
});

describe('splitMarkdown and lists', () => {
  const list = Array.from(
    { length: 40 },
    (_, i) => `${i + 1}. Step ${i + 1} of the rotation${' in detail'.repeat(i % 5)}.\n   - detail for step ${i + 1}`,
  ).join('\n');

  it.each([300, 450, 700, 1000, 1333])('never starts a piece with an item’s indented continuation (limit %i)', (limit) => {
    const pieces = splitMarkdown(list, { limit });
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(limit);
      expect(piece).toMatch(/^\d+\. Step/);
    }
  });
});
