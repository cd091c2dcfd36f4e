import { describe, expect, it } from 'vitest';
import { answerFooter, citationLine, errorMarkdown, progressMarkdown } from '../../../bots/reply/answer-format.js';
import type { Citation } from '../../../core/answer.js';
import { ButtonCodec, feedbackButtons } from '../../../core/button-codec.js';

const kbCitation: Citation = {
  n: 1,
  file: 'guide.pdf',
  page: 3,
  snippet: '',
  kb: 'handbook',
  chunkId: 'c-42',
  url: '/api/kb/handbook/files/guide.pdf/download',
};

describe('citations in chat', () => {
  it('never shows a relative link: without a public URL a KB citation is a plain name and page', () => {
    expect(citationLine(kbCitation, {})).toBe('[1] guide.pdf p.3');
  });

  it('links a KB citation to its passage page under the public URL', () => {
    expect(citationLine(kbCitation, { publicUrl: 'https://kb.example.com/' })).toBe(
      '[1] [guide.pdf p.3](https://kb.example.com/kb/handbook/passages/c-42)',
    );
  });

  it.each([
    [{ n: 2, file: 'notes.md', section: 'Install', snippet: '' }, '[2] notes.md · Install'],
    [
      { n: 3, file: 'a [draft].md', snippet: '', url: 'https://x.test/a (1).md' },
      '[3] [a \\[draft\\].md](https://x.test/a%20%281%29.md)',
    ],
    [{ n: 4, file: 'local.txt', snippet: '', url: 'file:///etc/passwd' }, '[4] local.txt'],
    [{ n: 5, file: 'relative.txt', snippet: '', url: '/api/kb/x/files/relative.txt/download' }, '[5] relative.txt'],
  ])('%o → %s', (citation, line) => {
    expect(citationLine(citation, { publicUrl: 'https://kb.example.com' })).toBe(line);
  });
});

describe('footer, errors and progress', () => {
  it('names sources and the answer mode in one wording', () => {
    expect(answerFooter({ sources: ['handbook', 'hr'], mode: 'kb' })).toBe('Sources: handbook, hr · knowledge base');
    expect(answerFooter({ sources: [], mode: 'extractive' })).toBe('Sources: none · best passages quoted, no language model');
  });

  it('shows errors with their reference and progress in words', () => {
    expect(errorMarkdown('Only KB admins may delete handbook.', 'r-9')).toBe('⚠️ Only KB admins may delete handbook. (ref `r-9`)');
    expect(
      progressMarkdown({ jobId: 'j', kb: 'handbook', filesDone: 2, filesTotal: 5, chunks: 40, failed: 1, currentFile: 'b.pdf' }),
    ).toBe('📥 Adding files to **handbook**: 2/5 files · 40 chunks · 1 failed\n_Now reading b.pdf_');
  });
});

describe('button encoding', () => {
  it('round-trips action and value, including values too long for a short platform field', () => {
    const codec = new ButtonCodec(100);
    const [up] = feedbackButtons('ans-7');
    const token = codec.encode(up as NonNullable<typeof up>);
    expect(token).toBe('tkb:feedback:ans-7:up');
    expect(codec.decode(token)).toEqual({ action: 'feedback', value: 'ans-7:up' });
    const long = 'x'.repeat(300);
    const longToken = codec.encode({ action: 'confirm', value: long });
    expect(longToken.length).toBeLessThanOrEqual(100);
    expect(codec.decode(longToken)).toEqual({ action: 'confirm', value: long });
    expect(codec.decode(codec.encode({ action: 'cancel', value: '#0' }))).toEqual({ action: 'cancel', value: '#0' });
    expect(codec.decode('click_one')).toBeUndefined();
    expect(codec.decode('tkb:explode:x')).toBeUndefined();
  });
});
