import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createLoaders } from '../../../core/loaders/index.js';

/**
 * Loader fidelity: the same content — literal angle brackets, inline and fenced code, a table, CJK
 * and emoji — written in every text format the loaders read (and docx/xlsx), must come out with
 * every piece of text intact. Whitespace may change (lines, cells); characters may not.
 */
const loaders = createLoaders({ ocrEngine: 'none' });

const TITLE = '安装指南 Setup 🚀';
const PROSE = 'Bind a channel with /kb use <kb>; the API returns List<String> & Map<K, V> (a < b > c).';
const INLINE_CODE = 'npm run kb -- ask <kb> "<question>"';
const FENCE = ['const xs: Array<number> = [];', 'if (a < b && b > c) return "<ok>";'];
const CJK = '员工年假申请：在系统中提交，经理审批后生效。';
const EMOJI = 'Launch ✅ done 👩‍💻 ok';
const TABLE = [
  ['命令', '说明'],
  ['/kb files <kb>', '列出文件 😀, 含逗号'],
  ['/kb ask <kb> <question>', 'Answer "quoted" <b>not bold</b>'],
];

/** Every piece that must survive, as the reader would search for it. */
const PIECES = [TITLE, PROSE, INLINE_CODE, ...FENCE, CJK, EMOJI, ...TABLE.flat()];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const htmlBody = [
  `<h1>${esc(TITLE)}</h1>`,
  `<p>${esc(PROSE)} Run <code>${esc(INLINE_CODE)}</code> to ask.</p>`,
  `<pre><code>${FENCE.map(esc).join('\n')}</code></pre>`,
  `<p>${esc(CJK)}</p>`,
  `<p>${esc(EMOJI)}</p>`,
  `<table><thead><tr>${TABLE[0]?.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${TABLE.slice(1)
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`,
].join('\n');

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '\\<');

const eml = (type: string, body: string) =>
  [
    'From: Ops <ops@example.com>',
    'To: team@example.com',
    `Subject: =?UTF-8?B?${Buffer.from(TITLE).toString('base64')}?=`,
    'Date: Tue, 02 Jan 2024 10:00:00 +0800',
    'MIME-Version: 1.0',
    `Content-Type: ${type}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(body).toString('base64'),
  ].join('\r\n');

const plainLines = [
  TITLE,
  '',
  PROSE,
  `Run ${INLINE_CODE} to ask.`,
  '',
  ...FENCE,
  '',
  CJK,
  EMOJI,
  '',
  ...TABLE.map((r) => r.join(' | ')),
];

async function docx(): Promise<Buffer> {
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: TITLE, heading: HeadingLevel.HEADING_1 }),
          new Paragraph(PROSE),
          new Paragraph(`Run ${INLINE_CODE} to ask.`),
          ...FENCE.map((line) => new Paragraph(line)),
          new Paragraph(CJK),
          new Paragraph(EMOJI),
          new Table({ rows: TABLE.map((r) => new TableRow({ children: r.map(cell) })) }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

async function xlsx(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('命令 Commands');
  sheet.addRow(['内容 Text', 'More']);
  for (const piece of [TITLE, PROSE, INLINE_CODE, ...FENCE, CJK, EMOJI]) sheet.addRow([piece, '']);
  for (const row of TABLE) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const FORMATS: Record<string, () => string | Buffer | Promise<Buffer>> = {
  'guide.md': () =>
    [
      `# ${TITLE}`,
      '',
      PROSE,
      '',
      `Run \`${INLINE_CODE}\` to ask.`,
      '',
      '```ts',
      ...FENCE,
      '```',
      '',
      CJK,
      '',
      EMOJI,
      '',
      `| ${TABLE[0]?.map(mdCell).join(' | ')} |`,
      '|---|---|',
      ...TABLE.slice(1).map((r) => `| ${r.map(mdCell).join(' | ')} |`),
    ].join('\n'),
  // Setext heading, indented code block, a table without leading pipes.
  'guide.markdown': () =>
    [
      TITLE,
      '====',
      '',
      PROSE,
      '',
      `Run \`${INLINE_CODE}\` to ask.`,
      '',
      ...FENCE.map((line) => `    ${line}`),
      '',
      CJK,
      '',
      EMOJI,
      '',
      TABLE[0]?.map(mdCell).join(' | '),
      '--- | ---',
      ...TABLE.slice(1).map((r) => r.map(mdCell).join(' | ')),
    ].join('\n'),
  'guide.txt': () => plainLines.join('\n'),
  'guide.rst': () =>
    [
      TITLE,
      '='.repeat(30),
      '',
      PROSE,
      '',
      `Run \`\`${INLINE_CODE}\`\` to ask.`,
      '',
      '.. code-block:: ts',
      '',
      ...FENCE.map((line) => `   ${line}`),
      '',
      CJK,
      '',
      EMOJI,
      '',
      ...TABLE.map((r) => r.join(' | ')),
    ].join('\n'),
  'guide.html': () =>
    `<!doctype html><html><head><meta charset="utf-8"><title>x</title></head><body><article>${htmlBody}</article></body></html>`,
  'body-only.html': () => `<body>${htmlBody}</body>`,
  'fragment.html': () => htmlBody,
  'fragment.htm': () => `<div class="post">${htmlBody}</div>`,
  'guide.csv': () =>
    [...TABLE, ['x', TITLE], ['x', PROSE], ['x', INLINE_CODE], ...FENCE.map((f) => ['x', f]), ['x', CJK], ['x', EMOJI]]
      .map((r) => r.map(csvCell).join(','))
      .join('\n'),
  'guide.tsv': () =>
    [...TABLE, ['x', TITLE], ['x', PROSE], ['x', INLINE_CODE], ...FENCE.map((f) => ['x', f]), ['x', CJK], ['x', EMOJI]]
      .map((r) => r.join('\t'))
      .join('\n'),
  'guide.json': () =>
    JSON.stringify({
      title: TITLE,
      prose: PROSE,
      code: INLINE_CODE,
      fence: FENCE.join('\n'),
      cjk: CJK,
      emoji: EMOJI,
      table: TABLE.slice(1).map(([cmd, note]) => ({ [TABLE[0]?.[0] ?? '']: cmd, [TABLE[0]?.[1] ?? '']: note })),
    }),
  'guide.jsonl': () =>
    [TITLE, PROSE, INLINE_CODE, ...FENCE, CJK, EMOJI, ...TABLE.flat()].map((text) => JSON.stringify({ text })).join('\n'),
  'plain.eml': () => eml('text/plain', plainLines.join('\n')),
  'html.eml': () => eml('text/html', `<html><body>${htmlBody}</body></html>`),
  'guide.docx': docx,
  'guide.xlsx': xlsx,
};

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('loader fidelity: angle brackets, code, tables, CJK and emoji survive every format', () => {
  it.each(Object.keys(FORMATS))('%s', async (name) => {
    const content = await FORMATS[name]?.();
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content ?? '');
    const doc = await loaders.load({ name, extension: name.split('.').pop() ?? '', bytes });
    const text = flat(doc.blocks.map((b) => `${(b.meta.headings ?? []).join(' ')} ${b.text}`).join('\n'));
    const missing = PIECES.filter((piece) => !text.includes(flat(piece)));
    expect(missing, `${name} lost text; it read:\n${text}`).toEqual([]);
  });
});
