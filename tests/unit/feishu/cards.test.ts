import { describe, expect, it } from 'vitest';
import { answerCards, buttonsCard, CARD_MARKDOWN_BYTES, errorCards, streamingCard } from '../../../adapters/feishu/cards.js';
import { splitMarkdown, toCardMarkdown, utf8Length } from '../../../adapters/feishu/markdown.js';
import type { Citation, FinalAnswer } from '../../../core/answer.js';
import { renderCard } from './fake/render.js';

const citations: Citation[] = [
  { n: 2, file: 'notes.md', section: 'Setup', snippet: 's' },
  { n: 1, file: 'guide.pdf', page: 3, url: 'https://files.example/guide.pdf', snippet: 's', kb: 'handbook' },
];
const answer: FinalAnswer = {
  markdown: 'Rotate the key monthly [1][2].',
  citations,
  sources: ['handbook'],
  mode: 'kb',
  answerId: 'ans-9',
};

describe('Feishu card rendering', () => {
  it('renders the answer with numbered citations, the KB used and feedback buttons', () => {
    const cards = answerCards(answer, citations);
    expect(cards).toHaveLength(1);
    const shown = renderCard(cards[0]);
    expect(shown.text).toContain('Rotate the key monthly [1][2].');
    expect(shown.text).toContain('[1] [guide.pdf](https://files.example/guide.pdf) p.3\n[2] notes.md Setup');
    expect(shown.text).toContain('Answered from: handbook · knowledge base');
    expect(shown.buttons).toEqual(['ans-9:up', 'ans-9:down']);
    expect(shown.buttonValues[0]).toEqual({ teamkb: 'feedback', value: 'ans-9:up' });
    expect(cards[0]?.schema).toBe('2.0');
    expect(cards[0]?.config.update_multi).toBe(true);
  });

  it('says when there were no sources and shows no buttons without an answer id', () => {
    const shown = renderCard(answerCards({ markdown: 'Hi', citations: [], sources: [], mode: 'llm' }, [])[0]);
    expect(shown.text).toContain('Answered from: no sources · model only, no sources');
    expect(shown.buttons).toEqual([]);
  });

  it('neutralises card tags in model output and turns images into links, but leaves code alone', () => {
    expect(toCardMarkdown('<at id=all></at> hi ![chart](https://x/c.png)')).toBe(
      '&lt;at id=all&gt;&lt;/at&gt; hi [chart](https://x/c.png)',
    );
    expect(toCardMarkdown('use `a<b>` and\n```html\n<div>\n```')).toBe('use `a<b>` and\n```html\n<div>\n```');
  });

  it('renders confirm prompts with the button values the runtime chose', () => {
    const card = buttonsCard('Delete **handbook**?', [
      { label: 'Delete', action: 'confirm', value: 'del:handbook', style: 'danger' },
      { label: 'Cancel', action: 'cancel', value: 'del:handbook' },
    ]);
    const shown = renderCard(card);
    expect(shown.buttonValues).toEqual([
      { teamkb: 'confirm', value: 'del:handbook' },
      { teamkb: 'cancel', value: 'del:handbook' },
    ]);
    expect(shown.text).toContain('[Delete]');
  });

  it('shows an interrupted stream with the error and its ref', () => {
    expect(renderCard(errorCards('Partial text', 'Model crashed.', 'r-7')[0]).text).toBe(
      'Partial text\n\n---\n⚠️ Model crashed. (ref: r-7)',
    );
  });

  it('streams into a card with streaming mode on and a known element id', () => {
    const card = streamingCard('_Searching…_');
    expect(card.config.streaming_mode).toBe(true);
    expect(card.body.elements[0]).toMatchObject({ tag: 'markdown', element_id: 'answer' });
  });
});

describe('splitting long answers', () => {
  const paragraph = (i: number) => `Paragraph ${i}: ${'词'.repeat(40)} see [${i}] for details.`;

  it('keeps every piece under the byte limit and loses nothing', () => {
    const text = Array.from({ length: 400 }, (_, i) => paragraph(i)).join('\n\n');
    const pieces = splitMarkdown(text, 2_000);
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) expect(utf8Length(p)).toBeLessThanOrEqual(2_000);
    expect(pieces.join('\n\n')).toBe(text);
    for (let i = 0; i < 400; i++) expect(pieces.some((p) => p.includes(`see [${i}] for`))).toBe(true);
  });

  it('closes and reopens a code fence cut in two', () => {
    const code = Array.from({ length: 200 }, (_, i) => `  line_${i} = compute(${i})`).join('\n');
    const pieces = splitMarkdown(`Intro\n\n\`\`\`python\n${code}\n\`\`\`\n\nOutro`, 1_500);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect((p.match(/^```/gm) ?? []).length % 2).toBe(0);
      expect(utf8Length(p)).toBeLessThanOrEqual(1_500);
    }
    expect(pieces[1]?.startsWith('```python\n')).toBe(true);
    expect(pieces.join('\n')).toContain('line_199 = compute(199)');
  });

  it('never cuts inside a citation marker, even without spaces', () => {
    const dense = `${'x'.repeat(990)}[12]${'y'.repeat(50)}`;
    const pieces = splitMarkdown(dense, 1_000);
    expect(pieces.some((p) => p.includes('[12]'))).toBe(true);
  });

  it('splits a huge answer over several cards; only the last carries sources and buttons', () => {
    const big = Array.from({ length: 2_000 }, (_, i) => paragraph(i)).join('\n\n');
    const cards = answerCards({ ...answer, markdown: big }, citations);
    expect(cards.length).toBeGreaterThan(1);
    for (const card of cards) expect(utf8Length(JSON.stringify(card))).toBeLessThan(30_000);
    expect(utf8Length(renderCard(cards[0]).text)).toBeLessThanOrEqual(CARD_MARKDOWN_BYTES);
    expect(renderCard(cards[0]).buttons).toEqual([]);
    expect(renderCard(cards.at(-1)).buttons).toEqual(['ans-9:up', 'ans-9:down']);
  });
});
