import { describe, expect, it } from 'vitest';
import { CustomIdCodec, feedbackButtons } from '../../../adapters/discord/custom-id.js';
import {
  citationLine,
  contextLine,
  renderError,
  renderFinalAnswer,
  renderProgress,
  toDiscordMarkdown,
} from '../../../adapters/discord/format.js';
import { stripBotMention } from '../../../adapters/discord/mention.js';
import { threadName } from '../../../adapters/discord/thread-target.js';

describe('citations and context', () => {
  it.each([
    [
      { n: 1, file: 'guide.pdf', page: 3, snippet: '', url: 'https://kb.example.com/guide.pdf#page=3' },
      '[1] [guide.pdf p.3](https://kb.example.com/guide.pdf#page=3)',
    ],
    [{ n: 2, file: 'notes.md', section: 'Install', snippet: '' }, '[2] notes.md › Install'],
    [
      { n: 3, file: 'a [draft].md', snippet: '', url: 'https://x.test/a (1).md' },
      '[3] [a \\[draft\\].md](https://x.test/a%20%281%29.md)',
    ],
    [{ n: 4, file: 'local.txt', snippet: '', url: 'file:///etc/passwd' }, '[4] local.txt'],
  ])('%o → %s', (citation, line) => {
    expect(citationLine(citation)).toBe(line);
  });

  it('renders the final answer with numbered links and a context line', () => {
    const text = renderFinalAnswer(
      {
        markdown: 'The key rotates monthly [1].\n\n#### Details\nSee the guide.',
        citations: [{ n: 1, file: 'guide.pdf', page: 3, snippet: 's', url: 'https://kb.example.com/g.pdf' }],
        sources: ['handbook'],
        mode: 'kb',
      },
      [],
    );
    expect(text).toBe(
      'The key rotates monthly [1].\n\n**Details**\nSee the guide.\n\n[1] [guide.pdf p.3](https://kb.example.com/g.pdf)\n\n-# Sources: handbook · knowledge base',
    );
  });

  it('says when the answer is extractive', () => {
    expect(contextLine({ markdown: '', citations: [], sources: ['handbook'], mode: 'extractive' })).toContain(
      'no language model',
    );
  });

  it('shows errors with their reference and progress in words', () => {
    expect(renderError('Only KB admins may delete handbook.', 'r-9')).toBe('⚠️ Only KB admins may delete handbook. (ref `r-9`)');
    expect(
      renderProgress({ jobId: 'j', kb: 'handbook', filesDone: 2, filesTotal: 5, chunks: 40, failed: 1, currentFile: 'b.pdf' }),
    ).toBe('📥 Adding files to **handbook**: 2/5 files · 40 chunks · 1 failed\n-# Now reading b.pdf');
    expect(toDiscordMarkdown('## Kept\n##### Bold')).toBe('## Kept\n**Bold**');
  });
});

describe('mentions and thread names', () => {
  it.each([
    ['<@42> how do I rotate the key?', 'how do I rotate the key?'],
    ['<@!42>, hello', 'hello'],
    ['hey <@42> what now', 'hey what now'],
    ['thanks <@42>', 'thanks'],
    ['<@42> 怎么轮换密钥？', '怎么轮换密钥？'],
    ['ask <@7> not me', 'ask <@7> not me'],
    ['<@&900> via the bot role', 'via the bot role'],
  ])('%s → %s', (input, output) => {
    expect(stripBotMention(input, { userId: '42', roleId: '900' })).toBe(output);
  });

  it('names threads after the question, within 100 characters', () => {
    expect(threadName('  how do\nI rotate  ')).toBe('how do I rotate');
    expect(threadName('')).toBe('TeamKB answer');
    expect(threadName('x'.repeat(300))).toHaveLength(100);
  });
});

describe('button custom ids', () => {
  it('round-trips action and value, including values too long for Discord', () => {
    const codec = new CustomIdCodec();
    const [up] = feedbackButtons('ans-7');
    const id = codec.encode(up as never);
    expect(id).toBe('tkb:feedback:ans-7:up');
    expect(codec.decode(id)).toEqual({ action: 'feedback', value: 'ans-7:up' });
    const long = 'x'.repeat(300);
    const longId = codec.encode({ action: 'confirm', value: long });
    expect(longId.length).toBeLessThanOrEqual(100);
    expect(codec.decode(longId)).toEqual({ action: 'confirm', value: long });
    expect(codec.decode('click_one')).toBeUndefined();
    expect(codec.decode('tkb:explode:x')).toBeUndefined();
  });
});
