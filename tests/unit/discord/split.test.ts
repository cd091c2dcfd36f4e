import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../adapters/discord/split.js';

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
    name: 'an emoji pair at a hard cut is not torn',
    text: '😀'.repeat(2100),
    check: (c) => {
      for (const chunk of c) expect(chunk).not.toMatch(/[\uD800-\uDBFF]$/);
    },
  },
];

describe('splitMessage', () => {
  it.each(cases)('$name', ({ text, check }) => {
    const chunks = splitMessage(text, LIMIT);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(LIMIT);
      expect(chunk.trim().length).toBeGreaterThan(0);
    }
    expect(squash(chunks.join('\n'))).toBe(squash(text));
    check?.(chunks);
  });
});
