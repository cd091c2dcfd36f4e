import { describe, expect, it } from 'vitest';
import { splitMrkdwn } from '../../../adapters/slack/split.js';

const fenceCount = (s: string) => s.split('\n').filter((l) => l.trimStart().startsWith('```')).length;
const words = (s: string) => s.split(/\s+/).filter((w) => w !== '' && w !== '```');

function paragraphs(n: number, size: number): string {
  return Array.from({ length: n }, (_, i) => `Paragraph ${i}: ${'lorem ipsum '.repeat(size / 12).trim()}`).join('\n\n');
}

const codeBlock = `\`\`\`\n${Array.from({ length: 120 }, (_, i) => `line ${i} of the code`).join('\n')}\n\`\`\``;
const linkLine = Array.from({ length: 60 }, (_, i) => `see <https://kb.example/doc/${i}|document number ${i}> [${i + 1}]`).join(
  ' ',
);

describe('splitting long mrkdwn', () => {
  it.each([
    ['short text stays whole', 'hello *world*', 100],
    ['paragraphs', paragraphs(12, 400), 1000],
    ['a code block across the limit', `intro\n\n${codeBlock}\n\noutro`, 800],
    ['one very long line with links and citation marks', linkLine, 500],
    ['a single word longer than the limit', 'x'.repeat(1200), 500],
    ['mixed', `${paragraphs(3, 300)}\n\n${codeBlock}\n\n${linkLine}\n\n${paragraphs(3, 300)}`, 700],
  ])('%s', (_name, text, limit) => {
    const chunks = splitMrkdwn(text, limit);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(limit);
      expect(chunk.trim()).not.toBe('');
      expect(fenceCount(chunk) % 2).toBe(0);
      // No link or citation mark is cut: every `<` has its `>` in the same piece.
      expect((chunk.match(/</g) ?? []).length).toBe((chunk.match(/>/g) ?? []).length);
      expect(chunk).not.toMatch(/\[\d+$|^\d+\]/m);
    }
    expect(words(chunks.join('\n')).join('')).toBe(words(text).join(''));
    if (text.length <= limit) expect(chunks).toEqual([text]);
  });

  it('prefers a paragraph break to a line break', () => {
    const text = `${'a '.repeat(200).trim()}\n\n${'b '.repeat(100).trim()}\n${'c '.repeat(100).trim()}`;
    const [first, second] = splitMrkdwn(text, 700);
    expect(first?.endsWith('a')).toBe(true);
    expect(second?.startsWith('b')).toBe(true);
  });

  it('reopens a cut code block in the next piece', () => {
    const chunks = splitMrkdwn(`text\n${codeBlock}`, 600);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(1)) expect(chunk.startsWith('```')).toBe(true);
  });
});
