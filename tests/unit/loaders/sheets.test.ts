import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createLoaders } from '../../../core/loaders/index.js';

const loaders = createLoaders({ ocrEngine: 'none' });
const load = (name: string, bytes: Buffer, signal?: AbortSignal) =>
  loaders.load({ name, extension: name.split('.').pop()!, bytes }, signal);

function workbook(type: 'xlsx' | 'xls' | 'ods'): Buffer {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    book,
    XLSX.utils.aoa_to_sheet([
      ['Name', 'Dept', '城市'],
      ['Alice', 'Sales', '上海'],
      ['Bob', 'R&D', '北京'],
    ]),
    '员工',
  );
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['2024 预算'], ['Item', 'Cost'], ['Laptops', 12000]]), 'Budget');
  return XLSX.write(book, { type: 'buffer', bookType: type }) as Buffer;
}

describe('spreadsheet loaders', () => {
  for (const type of ['xlsx', 'xls', 'ods'] as const) {
    it(`${type}: rows keep their header names, per sheet, with row numbers`, async () => {
      const loaded = await load(`staff.${type}`, workbook(type));
      expect(loaded.blocks).toEqual([
        {
          text: 'Name: Alice | Dept: Sales | 城市: 上海\nName: Bob | Dept: R&D | 城市: 北京',
          kind: 'table',
          meta: { sheet: '员工', row: 1, rowEnd: 2 },
        },
        { text: '2024 预算', kind: 'prose', meta: { sheet: 'Budget' } },
        { text: 'Item: Laptops | Cost: 12000', kind: 'table', meta: { sheet: 'Budget', row: 1 } },
      ]);
    });
  }

  it('csv: quoted cells, GB18030 bytes, long tables split into row groups', async () => {
    const rows = [
      '编号,标题,说明',
      ...Array.from({ length: 40 }, (_, i) => `${i + 1},"问题 ${i + 1}","第 ${i + 1} 行, with a comma"`),
    ];
    const loaded = await load('issues.csv', iconv.encode(rows.join('\r\n'), 'gb18030'));
    expect(loaded.blocks[0]!.text.split('\n')[0]).toBe('编号: 1 | 标题: 问题 1 | 说明: 第 1 行, with a comma');
    expect(loaded.blocks.length).toBeGreaterThan(1);
    expect(loaded.blocks.every((block) => block.kind === 'table' && block.text.length <= 500)).toBe(true);
    const last = loaded.blocks[loaded.blocks.length - 1]!;
    expect(last.meta.rowEnd ?? last.meta.row).toBe(40);
    expect(loaded.blocks[0]!.meta.sheet).toBeUndefined();
  });

  it('csv: values stay as written (no number or date conversion)', async () => {
    const loaded = await load('ids.csv', Buffer.from('id,date\n007,2023-04-04.00\n'));
    expect(loaded.blocks[0]!.text).toBe('id: 007 | date: 2023-04-04.00');
  });

  it('tsv: tab-separated', async () => {
    const loaded = await load('a.tsv', Buffer.from('姓名\t部门\n张三\t市场部\n'));
    expect(loaded.blocks).toEqual([{ text: '姓名: 张三 | 部门: 市场部', kind: 'table', meta: { row: 1 } }]);
  });

  it('a one-column sheet (a document pasted into cells) keeps lines unlabelled', async () => {
    const loaded = await load('notes.csv', Buffer.from('Introduction\nFirst point\nSecond point\n'));
    expect(loaded.blocks[0]!.text).toBe('Introduction\nFirst point\nSecond point');
  });

  it('stops between sheets when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(load('staff.xlsx', workbook('xlsx'), controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
