import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from '../../../adapters/slack/mrkdwn.js';
import { citationLine } from '../../../bots/reply/answer-format.js';

describe('markdown → Slack mrkdwn', () => {
  it.each([
    ['bold', '**bold** and __also__', '*bold* and *also*'],
    ['italic', '*italic* and _it_', '_italic_ and _it_'],
    ['strike', '~~gone~~', '~gone~'],
    ['inline code is left alone', 'Use `a*b*c` and `**x**`', 'Use `a*b*c` and `**x**`'],
    ['escapes & < >', 'a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    ['escapes inside code too', 'run `a<b`', 'run `a&lt;b`'],
    ['link', '[Guide](https://x.example/a?b=1&c=2)', '<https://x.example/a?b=1&amp;c=2|Guide>'],
    ['link with title', '[Guide](https://x.example "t")', '<https://x.example|Guide>'],
    ['autolink', '<https://y.example/p>', '<https://y.example/p>'],
    ['image becomes a link', '![chart](https://i.example/c.png)', '<https://i.example/c.png|chart>'],
    ['pipe in a label cannot end the link', '[a|b](https://x.example)', '<https://x.example|a¦b>'],
    ['headings become bold lines', '# Title\n## Sub **x**', '*Title*\n*Sub x*'],
    ['bullets', '- a\n  - b\n* c\n+ d', '• a\n    • b\n• c\n• d'],
    ['task list', '- [ ] todo\n- [x] done', '• ☐ todo\n• ☑ done'],
    ['numbered lists', '1. one\n2) two', '1. one\n2. two'],
    ['quote', '> quoted **b**', '> quoted *b*'],
    ['rule', '---', '──────────'],
    ['arithmetic is not italic', '2 * 3 * 4 = 24', '2 * 3 * 4 = 24'],
    ['snake_case stays', 'snake_case_name', 'snake_case_name'],
    ['citation marks stay', 'Answer [1] and [2].', 'Answer [1] and [2].'],
    [
      'fenced code drops the language and keeps content verbatim',
      '```ts\nconst a = x < 3 && **y**;\n```\nafter',
      '```\nconst a = x &lt; 3 &amp;&amp; **y**;\n```\nafter',
    ],
    ['tilde fence', '~~~\n# not a heading\n~~~', '```\n# not a heading\n```'],
    ['an unclosed fence (mid-stream) is closed', '```\nunclosed', '```\nunclosed\n```'],
    ['CRLF', 'a\r\nb', 'a\nb'],
    ['Chinese text passes through', '**注意**：请先登录', '*注意*：请先登录'],
  ])('%s', (_name, input, expected) => {
    expect(markdownToMrkdwn(input)).toBe(expected);
  });
});

describe('citations as the renderer writes them, in mrkdwn', () => {
  it.each([
    ['name and page', { n: 1, file: 'guide.pdf', page: 3, snippet: '' }, '[1] guide.pdf p.3'],
    [
      'link when a url is set',
      { n: 2, file: 'faq.md', url: 'https://kb.example/faq', snippet: '' },
      '[2] <https://kb.example/faq|faq.md>',
    ],
    ['section', { n: 3, file: 'a.docx', section: 'Setup & use', snippet: '' }, '[3] a.docx · Setup &amp; use'],
    ['odd characters in names', { n: 4, file: 'a<b>.txt', snippet: '' }, '[4] a&lt;b&gt;.txt'],
  ])('%s', (_name, citation, expected) => {
    expect(markdownToMrkdwn(citationLine(citation, {}))).toBe(expected);
  });
});
