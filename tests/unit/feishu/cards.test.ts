import { describe, expect, it } from 'vitest';
import { streamingCard, viewCard } from '../../../adapters/feishu/cards.js';
import { toCardMarkdown } from '../../../adapters/feishu/markdown.js';
import { ButtonCodec } from '../../../core/button-codec.js';
import { renderCard } from './fake/render.js';

const codec = new ButtonCodec();

describe('Feishu card rendering', () => {
  it('renders a view with its footer in small print and its buttons', () => {
    const card = viewCard(
      {
        kind: 'answer',
        markdown: 'Rotate the key monthly [1].\n\n[1] [guide.pdf p.3](https://kb.example.com/kb/handbook/passages/c1)',
        footer: 'Sources: handbook · knowledge base',
        buttons: [{ label: '👍 Helpful', action: 'feedback', value: 'ans-9:up' }],
      },
      codec,
    );
    const shown = renderCard(card);
    expect(shown.text).toContain('Rotate the key monthly [1].');
    expect(shown.text).toContain('Sources: handbook · knowledge base');
    expect(shown.buttonValues).toEqual([{ teamkb: 'tkb:feedback:ans-9:up' }]);
    expect(card.body.elements[1]).toMatchObject({ text_size: 'notation' });
    expect(card.schema).toBe('2.0');
    expect(card.config.update_multi).toBe(true);
  });

  it('neutralises card tags in model output and turns images into links, but leaves code alone', () => {
    expect(toCardMarkdown('<at id=all></at> hi ![chart](https://x/c.png)')).toBe(
      '&lt;at id=all&gt;&lt;/at&gt; hi [chart](https://x/c.png)',
    );
    expect(toCardMarkdown('use `a<b>` and\n```html\n<div>\n```')).toBe('use `a<b>` and\n```html\n<div>\n```');
  });

  it('streams into a card with streaming mode on and a known element id', () => {
    const card = streamingCard('_Searching…_');
    expect(card.config.streaming_mode).toBe(true);
    expect(card.body.elements[0]).toMatchObject({ tag: 'markdown', element_id: 'answer' });
  });
});
