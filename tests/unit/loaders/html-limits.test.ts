import { describe, expect, it } from 'vitest';
import { createLoaders } from '../../../core/loaders/index.js';
import { readableDocument } from '../../../core/text/readable-html.js';
import { htmlOnlyEmail, nestedHtml, wideHtml } from '../../e2e/helpers/hostile-files.js';

const loaders = createLoaders({ ocrEngine: 'none', maxHtmlDepth: 64, maxHtmlElements: 2_000 });
const load = (name: string, text: string) => loaders.load({ name, extension: name.split('.').pop()!, bytes: Buffer.from(text) });

describe('HTML structure limits', () => {
  it('reads a page nested past the depth limit as plain text, saying which limit', async () => {
    const doc = await load('nested.html', nestedHtml(5_000));
    expect(doc.blocks.map((block) => block.text)).toEqual(['Deeply nested words survive the plain-text fallback.']);
    expect(doc.warnings).toEqual(['read as plain text because its elements nest deeper than 64 levels (kb.limits.htmlMaxDepth)']);
  });

  it('reads a page with more elements than the limit as plain text', async () => {
    const doc = await load('wide.html', wideHtml(3_000));
    expect(doc.blocks[0]?.text).toContain('Wide page marker sentence.');
    expect(doc.warnings[0]).toContain('more than 2,000 elements (kb.limits.htmlMaxElements)');
  });

  it('applies the same limits to an HTML-only e-mail', async () => {
    const doc = await load('mail.eml', htmlOnlyEmail(5_000));
    expect(doc.blocks[0]?.text).toContain('The invoice total is in this e-mail body.');
    expect(doc.warnings[0]).toContain('kb.limits.htmlMaxDepth');
  });

  it('keeps pages within the limits on the readable path, without a warning', async () => {
    const doc = await load(
      'page.html',
      '<html><head><title>T</title></head><body><nav>Menu</nav><h1>Guide</h1><p>Body text.</p></body></html>',
    );
    expect(doc.warnings).toEqual([]);
    expect(doc.blocks.map((block) => block.text).join('\n')).not.toContain('Menu');
  });

  it('walks a deep tree without recursion when no limit stops it', () => {
    const doc = readableDocument(nestedHtml(8_000), undefined, { maxDepth: 1_000_000, maxElements: 1_000_000 });
    expect(doc.sections.map((section) => section.text).join('\n')).toContain('Deeply nested words');
  });

  it('reads HTML fragments and body-only pages', async () => {
    expect((await load('fragment.html', '<p>Just a fragment of text.</p><p>And a second paragraph.</p>')).blocks[0]?.text).toBe(
      'Just a fragment of text.\nAnd a second paragraph.',
    );
    const bodyOnly = await load('body.html', '<body><h2>Heading</h2><p>Body-only page text.</p></body>');
    expect(bodyOnly.blocks[0]).toMatchObject({ text: 'Heading\nBody-only page text.', meta: { headings: ['Heading'] } });
    expect((await load('bare.html', 'Plain words with <b>bold</b> inside')).blocks[0]?.text).toBe('Plain words with bold inside');
  });
});
