import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { describe, expect, it } from 'vitest';
import { createLoaders } from '../../../core/loaders/index.js';
import { makeWord97 } from './make-files.js';
import { makeEpub, makeOdf, makePptx } from './make-office.js';

const loaders = createLoaders({ ocrEngine: 'none' });
const load = (name: string, bytes: Buffer) => loaders.load({ name, extension: name.split('.').pop()!, bytes });

describe('office document loaders', () => {
  it('docx: heading sections with their path, tables as table blocks, Chinese and English', async () => {
    const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: '安装指南 Install guide', heading: HeadingLevel.HEADING_1 }),
            new Paragraph('本文介绍如何安装。This guide explains the setup.'),
            new Paragraph({ text: 'Linux', heading: HeadingLevel.HEADING_2 }),
            new Paragraph('运行 apt-get install teamkb 即可。'),
            new Table({
              rows: [
                new TableRow({ children: [cell('名称'), cell('版本')] }),
                new TableRow({ children: [cell('TeamKB'), cell('1.0')] }),
              ],
            }),
          ],
        },
      ],
    });
    const loaded = await load('guide.docx', await Packer.toBuffer(doc));
    expect(loaded.source).toBe('guide.docx');
    expect(loaded.blocks).toEqual([
      {
        text: '安装指南 Install guide\n本文介绍如何安装。This guide explains the setup.',
        kind: 'prose',
        meta: { headings: ['安装指南 Install guide'] },
      },
      {
        text: 'Linux\n运行 apt-get install teamkb 即可。',
        kind: 'prose',
        meta: { headings: ['安装指南 Install guide', 'Linux'] },
      },
      { text: '名称 | 版本\nTeamKB | 1.0', kind: 'table', meta: { headings: ['安装指南 Install guide', 'Linux'] } },
    ]);
  });

  it('pptx: one block per slide, titled by the slide heading', async () => {
    const pptx = await makePptx([
      { title: '季度总结', body: ['收入增长 20%', 'Revenue grew'] },
      { title: 'Next steps', body: ['招聘两名工程师'] },
    ]);
    const loaded = await load('deck.pptx', pptx);
    expect(loaded.blocks.map((block) => block.meta.slide)).toEqual([1, 2]);
    expect(loaded.blocks[0]!.text).toContain('季度总结');
    expect(loaded.blocks[0]!.text).toContain('收入增长 20%');
    expect(loaded.blocks[1]!.text).toContain('招聘两名工程师');
  });

  it('odt: headings and paragraphs', async () => {
    const odt = await makeOdf(
      'text',
      '<text:h text:outline-level="1">项目背景</text:h><text:p>TeamKB 是团队知识库。</text:p><text:h text:outline-level="2">Goals</text:h><text:p>Answer questions with citations.</text:p>',
    );
    const loaded = await load('plan.odt', odt);
    expect(loaded.blocks).toEqual([
      { text: '项目背景\nTeamKB 是团队知识库。', kind: 'prose', meta: { headings: ['项目背景'] } },
      { text: 'Goals\nAnswer questions with citations.', kind: 'prose', meta: { headings: ['项目背景', 'Goals'] } },
    ]);
  });

  it('odp: one block per slide', async () => {
    const frame = (text: string) => `<draw:frame><draw:text-box><text:p>${text}</text:p></draw:text-box></draw:frame>`;
    const odp = await makeOdf(
      'presentation',
      `<draw:page draw:name="p1">${frame('第一页 First slide')}</draw:page><draw:page draw:name="p2">${frame('第二页 Second slide')}</draw:page>`,
    );
    const loaded = await load('talk.odp', odp);
    expect(loaded.blocks.map((block) => [block.meta.slide, block.text])).toEqual([
      [1, '第一页 First slide'],
      [2, '第二页 Second slide'],
    ]);
  });

  it('epub: chapters in spine order', async () => {
    const epub = await makeEpub([
      { title: '第一章 开始', paragraphs: ['从前有一座山。'] },
      { title: 'Chapter 2', paragraphs: ['The end.'] },
    ]);
    const text = (await load('book.epub', epub)).blocks.map((block) => block.text).join('\n');
    expect(text.indexOf('从前有一座山。')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('The end.')).toBeGreaterThan(text.indexOf('从前有一座山。'));
  });

  it('rtf: text with Unicode escapes for Chinese', async () => {
    const rtf = String.raw`{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}\f0 Meeting notes\par \u20250?\u35758?\u32426?\u35201?\par}`;
    const loaded = await load('notes.rtf', Buffer.from(rtf, 'latin1'));
    const text = loaded.blocks.map((block) => block.text).join('\n');
    expect(text).toContain('Meeting notes');
    expect(text).toContain('会议纪要');
  });

  it('doc (Word 97-2003): body paragraphs', async () => {
    const loaded = await load('legacy.doc', makeWord97(['Quarterly report', '第三季度收入增长。']));
    expect(loaded.blocks).toEqual([{ text: 'Quarterly report\n第三季度收入增长。', kind: 'prose', meta: {} }]);
  });

  it('ppt: read through LibreOffice when installed, otherwise refused with how to fix it', async () => {
    const file = { name: 'old.ppt', extension: 'ppt', bytes: Buffer.from('not really a presentation') };
    const error = await loaders
      .loaderFor('ppt')!
      .load(file)
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ name: 'TeamKbError' });
    expect((error as Error).message).toMatch(/^old\.ppt: /);
    expect(['FILE_UNSUPPORTED', 'FILE_CORRUPT']).toContain((error as { code: string }).code);
  });
});
