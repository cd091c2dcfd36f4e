import { describe, expect, it } from 'vitest';
import { createMarkdownLoader } from '../../../core/loaders/markdown.js';

const load = async (text: string) => {
  const doc = await createMarkdownLoader().load({ name: 'guide.md', extension: 'md', bytes: Buffer.from(text) });
  return doc.blocks.map((b) => b.text).join('\n');
};

describe('markdown keeps what the writer wrote', () => {
  it('keeps literal <placeholders> in text and inline code, and generic types', async () => {
    const text = await load(
      [
        '# Commands',
        '',
        'Bind a channel with `/kb use <kb>` or run /kb ask <kb> <question>.',
        '',
        'Returns List<String> & Map<K, V>.',
      ].join('\n'),
    );
    expect(text).toContain('/kb use <kb>');
    expect(text).toContain('/kb ask <kb> <question>');
    expect(text).toContain('List<String> & Map<K, V>');
  });

  it('keeps code blocks verbatim, drops only known HTML tags, and keeps tables, CJK and emoji', async () => {
    const text = await load(
      [
        '## 安装 🚀',
        '',
        '```ts',
        'const xs: Array<number> = [];',
        '# not a heading',
        '```',
        '',
        'Press <kbd>Ctrl</kbd>+C, see <span class="x">docs</span>.<br>Next line &amp; more.',
        '',
        '| 命令 | 说明 |',
        '|---|---|',
        '| `/kb files <kb>` | 列出文件 😀 |',
        '',
        '- first <item>',
        '1. **bold** [link](https://example.com)',
      ].join('\n'),
    );
    expect(text).toContain('安装 🚀');
    expect(text).toContain('const xs: Array<number> = [];\n# not a heading');
    expect(text).toContain('Press Ctrl+C, see docs.\nNext line & more.');
    expect(text).not.toContain('<span');
    expect(text).toContain('| /kb files <kb> | 列出文件 😀 |');
    expect(text).toContain('- first <item>');
    expect(text).toContain('1. bold link');
  });
});
