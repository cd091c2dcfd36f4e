import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createLoaders } from '../../../core/loaders/index.js';

const loaders = createLoaders({ ocrEngine: 'none' });
const load = (name: string, content: string | Buffer) =>
  loaders.load({ name, extension: name.split('.').pop()!, bytes: Buffer.isBuffer(content) ? content : Buffer.from(content) });

describe('text format loaders', () => {
  it('txt: GB18030 and UTF-16 files decode to the same text', async () => {
    const text = '会议纪要\r\n\r\n\r\n\r\nAction items: 完成部署。  \r\n';
    for (const bytes of [
      iconv.encode(text, 'gb18030'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]),
    ]) {
      const loaded = await load('notes.txt', bytes);
      expect(loaded.blocks).toEqual([{ text: '会议纪要\n\nAction items: 完成部署。', kind: 'prose', meta: {} }]);
    }
  });

  it('md: one block per section with the heading path; code fences are not headings', async () => {
    const md = [
      'Intro line before any heading.',
      '# 部署 Deploy',
      'Use **docker** to run [TeamKB](https://example.com) ![logo](logo.png).',
      '## Linux',
      '```bash',
      '# not a heading',
      'npm start',
      '```',
      'Setext title',
      '------------',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
    ].join('\n');
    const loaded = await load('readme.md', md);
    expect(loaded.blocks).toEqual([
      { text: 'Intro line before any heading.', kind: 'prose', meta: {} },
      { text: '部署 Deploy\nUse docker to run TeamKB logo.', kind: 'prose', meta: { headings: ['部署 Deploy'] } },
      { text: 'Linux\n# not a heading\nnpm start', kind: 'prose', meta: { headings: ['部署 Deploy', 'Linux'] } },
      { text: 'Setext title\n| a | b |\n| 1 | 2 |', kind: 'prose', meta: { headings: ['部署 Deploy', 'Setext title'] } },
    ]);
  });

  it('rst: underlined and overlined titles make the heading path', async () => {
    const rst = [
      '=====',
      '用户手册',
      '=====',
      '',
      '简介文字。',
      '',
      'Install',
      '-------',
      '',
      'Run the installer.',
      '',
      '.. note::',
      '',
      '   Needs Node 20.',
    ].join('\n');
    const loaded = await load('manual.rst', rst);
    expect(loaded.blocks).toEqual([
      { text: '用户手册\n\n简介文字。', kind: 'prose', meta: { headings: ['用户手册'] } },
      { text: 'Install\n\nRun the installer.\n\n   Needs Node 20.', kind: 'prose', meta: { headings: ['用户手册', 'Install'] } },
    ]);
  });

  it('html: readable article text by heading, not navigation; honours <meta charset>', async () => {
    const html = `<html><head><meta charset="gbk"><title>报销流程</title></head><body>
      <nav><a href="/">首页</a> | <a href="/about">关于我们</a></nav>
      <article><h1>报销流程</h1><p>员工提交发票后，财务在三个工作日内审核。</p><h2>Limits</h2><p>Meals up to 200 CNY per day.</p></article>
      <footer>版权所有 © 2024</footer></body></html>`;
    const loaded = await load('expense.html', iconv.encode(html, 'gbk'));
    const text = loaded.blocks.map((block) => block.text).join('\n');
    expect(text).toContain('员工提交发票后，财务在三个工作日内审核。');
    expect(text).toContain('Meals up to 200 CNY per day.');
    expect(text).not.toContain('关于我们');
    expect(text).not.toContain('版权所有');
    expect(loaded.blocks.find((block) => block.text.includes('Meals'))?.meta.headings).toEqual(['报销流程', 'Limits']);
  });

  it('json: nested values flatten to "key: value" lines; arrays of records become table blocks', async () => {
    const single = await load('config.json', JSON.stringify({ name: '知识库', owner: { team: 'Infra', tags: ['a', 'b'] } }));
    expect(single.blocks).toEqual([{ text: 'name: 知识库\nowner.team: Infra\nowner.tags: a, b', kind: 'prose', meta: {} }]);
    const records = await load(
      'faq.json',
      JSON.stringify([
        { q: '如何登录？', a: 'Use SSO.' },
        { q: 'VPN?', a: '见文档' },
      ]),
    );
    expect(records.blocks).toEqual([
      { text: 'q: 如何登录？\na: Use SSO.\nq: VPN?\na: 见文档', kind: 'table', meta: { row: 1, rowEnd: 2 } },
    ]);
  });

  it('jsonl: one record per line; bad lines are skipped with a warning', async () => {
    const lines = [JSON.stringify({ title: '效果如何优化', id: 0 }), '{broken', JSON.stringify({ title: 'Second', id: 1 })].join(
      '\n',
    );
    const loaded = await load('issues.jsonl', lines);
    expect(loaded.blocks).toEqual([
      { text: 'title: 效果如何优化\nid: 0\ntitle: Second\nid: 1', kind: 'table', meta: { row: 1, rowEnd: 3 } },
    ]);
    expect(loaded.warnings).toEqual(['skipped 1 invalid JSON line(s), first at line 2']);
  });

  it('eml: subject, sender, date and body; attachments listed, not read', async () => {
    const eml = [
      'From: =?UTF-8?B?5byg5LiJ?= <zhang@example.com>',
      'To: team@example.com',
      'Subject: =?UTF-8?B?5ZGo5Lya6K6u56iL?=',
      'Date: Tue, 02 Jan 2024 10:00:00 +0800',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      '大家好，周五下午三点开会。',
      '--b1',
      'Content-Type: application/pdf; name="agenda.pdf"',
      'Content-Disposition: attachment; filename="agenda.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQK',
      '--b1--',
      '',
    ].join('\r\n');
    const loaded = await load('meeting.eml', eml);
    expect(loaded.blocks).toHaveLength(1);
    expect(loaded.blocks[0]!.meta.headings).toEqual(['周会议程']);
    expect(loaded.blocks[0]!.text).toBe(
      'Subject: 周会议程\nFrom: "张三" <zhang@example.com>\nTo: team@example.com\nDate: 2024-01-02T02:00:00.000Z\n\n大家好，周五下午三点开会。\n\nAttachments (not read): agenda.pdf',
    );
  });
});
