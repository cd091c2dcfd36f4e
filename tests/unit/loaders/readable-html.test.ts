import { describe, expect, it } from 'vitest';
import { readableText } from '../../../core/text/readable-html.js';

describe('readableText', () => {
  it('returns the title and the article text, without menus, scripts or footers', () => {
    const paragraph = '新版本支持多知识库联合检索，并改进了中文分词。The release also adds streaming answers. '.repeat(3);
    const html = `<!doctype html><html><head><title>TeamKB 2.0 发布</title><script>var tracking = 1;</script></head><body>
      <header><nav><ul><li><a href="/">Home</a></li><li><a href="/blog">博客</a></li></ul></nav></header>
      <main><article><h1>TeamKB 2.0 发布</h1><p>${paragraph}</p><p>升级只需重新安装。</p>
      <table><tr><th>版本</th><th>日期</th></tr><tr><td>2.0</td><td>2024-05-01</td></tr></table></article></main>
      <aside>相关文章：旧版本说明</aside><footer>© 2024 TeamKB</footer></body></html>`;
    const { title, text } = readableText(html, 'https://example.com/blog/2.0');
    expect(title).toBe('TeamKB 2.0 发布');
    expect(text).toContain('新版本支持多知识库联合检索');
    expect(text).toContain('升级只需重新安装。');
    expect(text).toContain('版本 | 日期\n2.0 | 2024-05-01');
    for (const noise of ['Home', '博客', 'tracking', '© 2024', '相关文章']) expect(text).not.toContain(noise);
  });

  it('falls back to the cleaned page body for short pages', () => {
    const { title, text } = readableText(
      '<html><head><title>联系</title></head><body><nav>菜单</nav><p>电话：123</p></body></html>',
    );
    expect(title).toBe('联系');
    expect(text).toBe('电话：123');
  });
});
