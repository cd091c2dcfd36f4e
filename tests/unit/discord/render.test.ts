import { describe, expect, it } from 'vitest';
import { discordContent, toDiscordMarkdown } from '../../../adapters/discord/format.js';
import { stripBotMention } from '../../../adapters/discord/mention.js';
import { threadName } from '../../../adapters/discord/thread-target.js';

describe('Discord markdown', () => {
  it('turns deep headings bold and puts the footer on a small grey line', () => {
    expect(toDiscordMarkdown('## Kept\n##### Bold')).toBe('## Kept\n**Bold**');
    expect(discordContent({ kind: 'answer', markdown: 'Text [1].', footer: 'Sources: handbook · knowledge base' })).toBe(
      'Text [1].\n\n-# Sources: handbook · knowledge base',
    );
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
