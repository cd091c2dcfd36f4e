import CFB from 'cfb';
import JSZip from 'jszip';
import { beginText, endText, moveText, PDFDocument, PDFHexString, PDFName, PDFString, setFontAndSize, showText } from 'pdf-lib';
import sharp from 'sharp';

/** Block glyphs drawn from rectangles (x, y, w, h in a 100×100 cell), so Chinese test images need no CJK font. */
const BLOCK_GLYPHS: Record<string, [number, number, number, number][]> = {
  中: [
    [20, 30, 60, 8],
    [20, 30, 8, 35],
    [72, 30, 8, 35],
    [20, 57, 60, 8],
    [46, 8, 8, 88],
  ],
  工: [
    [18, 15, 64, 8],
    [46, 15, 8, 70],
    [8, 80, 84, 8],
  ],
  王: [
    [15, 12, 70, 8],
    [20, 46, 60, 8],
    [8, 82, 84, 8],
    [46, 12, 8, 74],
  ],
  田: [
    [14, 12, 72, 8],
    [14, 12, 8, 78],
    [78, 12, 8, 78],
    [14, 82, 72, 8],
    [14, 47, 72, 8],
    [46, 12, 8, 78],
  ],
};

/** A PNG with an English line (DejaVu Sans, present on the base image) and a line of block-drawn Chinese (中工王田). */
export async function makeTextPng(english: string): Promise<Buffer> {
  const size = 60;
  let rects = '';
  [...'中工王田'].forEach((char, i) => {
    for (const [x, y, w, h] of BLOCK_GLYPHS[char] ?? []) {
      rects += `<rect x="${40 + i * size * 1.15 + (x * size) / 100}" y="${100 + (y * size) / 100}" width="${(w * size) / 100}" height="${(h * size) / 100}"/>`;
    }
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="220"><rect width="100%" height="100%" fill="white"/><g fill="black">${rects}</g><text x="40" y="60" font-family="DejaVu Sans" font-size="36" fill="black">${english}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * A PDF whose pages hold the given lines. Text (Chinese included) is written with a Type0 font whose
 * codes are UTF-16 units and whose ToUnicode map says so: extraction needs no embedded font program.
 * A page given as a Buffer is a PNG drawn full-page with no text (a scanned page).
 */
export async function makePdf(pages: (string[] | Buffer)[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const context = doc.context;
  const units = new Set<number>();
  for (const page of pages)
    if (Array.isArray(page)) for (const line of page) for (let i = 0; i < line.length; i++) units.add(line.charCodeAt(i));
  const hex = (unit: number) => unit.toString(16).padStart(4, '0').toUpperCase();
  const pairs = [...units].map((unit) => `<${hex(unit)}> <${hex(unit)}>`);
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 100)
    chunks.push(`${Math.min(100, pairs.length - i)} beginbfchar\n${pairs.slice(i, i + 100).join('\n')}\nendbfchar`);
  const cmap = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n${chunks.join('\n')}\nendcmap CMapName currentdict /CMap defineresource pop end end`;
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: 'TestCJK',
      Flags: 4,
      FontBBox: [0, -120, 1000, 880],
      ItalicAngle: 0,
      Ascent: 880,
      Descent: -120,
      CapHeight: 700,
      StemV: 80,
    }),
  );
  const cidFont = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: 'TestCJK',
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      CIDToGIDMap: 'Identity',
      DW: 1000,
    }),
  );
  const font = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: 'TestCJK',
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: context.register(context.stream(cmap)),
    }),
  );
  for (const content of pages) {
    const page = doc.addPage([595, 842]);
    if (Buffer.isBuffer(content)) {
      const image = await doc.embedPng(content);
      page.drawImage(image, { x: 20, y: 500, width: 555, height: (555 * image.height) / image.width });
      continue;
    }
    page.node.setFontDictionary(PDFName.of('F1'), font);
    content.forEach((line, i) => {
      const codes = [...Array(line.length).keys()].map((k) => hex(line.charCodeAt(k))).join('');
      page.pushOperators(
        beginText(),
        setFontAndSize('F1', 12),
        moveText(50, 780 - i * 20),
        showText(PDFHexString.of(codes)),
        endText(),
      );
    });
  }
  return Buffer.from(await doc.save());
}

/** A PDF that says it is encrypted with the standard handler and a user password (pdf.js asks for it). */
export function makeEncryptedPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${'A1'.repeat(32)}> /U <${'B2'.repeat(32)}> /P -44 >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A zip (deflated) with the given entries. */
export async function makeZip(entries: Record<string, string | Buffer>, options: { storeFirst?: string } = {}): Promise<Buffer> {
  const zip = new JSZip();
  if (options.storeFirst && entries[options.storeFirst] !== undefined)
    zip.file(options.storeFirst, entries[options.storeFirst]!, { compression: 'STORE' });
  for (const [name, content] of Object.entries(entries)) if (name !== options.storeFirst) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** An OLE compound file holding the named streams (for .doc/.xls/.ppt and encrypted Office files). */
export function makeOle(streams: Record<string, Buffer>): Buffer {
  const container = CFB.utils.cfb_new();
  for (const [name, content] of Object.entries(streams)) CFB.utils.cfb_add(container, `/${name}`, content);
  return Buffer.from(CFB.write(container, { type: 'buffer' }) as Uint8Array);
}

/**
 * A minimal Word 97-2003 file: a File Information Block, the text as one UTF-16 piece, and a piece
 * table in the 1Table stream. Paragraphs are separated by "\r" as in real files.
 */
export function makeWord97(paragraphs: string[], options: { encrypted?: boolean } = {}): Buffer {
  const text = `${paragraphs.join('\r')}\r`;
  const textOffset = 0x800;
  const word = Buffer.alloc(textOffset + text.length * 2);
  word.writeUInt16LE(0xa5ec, 0x00);
  word.writeUInt16LE(0x00c1, 0x02); // nFib: Word 97
  word.writeUInt16LE(0x0200 | (options.encrypted ? 0x0100 : 0), 0x0a); // fWhichTblStm (+ fEncrypted)
  word.writeUInt32LE(textOffset, 0x18);
  word.writeUInt32LE(text.length, 0x4c); // ccpText
  word.writeUInt32LE(0, 0x1a2); // fcClx
  word.writeUInt32LE(21, 0x1a6); // lcbClx
  word.write(text, textOffset, 'utf16le');
  const table = Buffer.alloc(21);
  table.writeUInt8(0x02, 0); // Pcdt
  table.writeUInt32LE(16, 1); // PlcPcd: two CPs + one PCD
  table.writeUInt32LE(0, 5);
  table.writeUInt32LE(text.length, 9);
  table.writeUInt32LE(textOffset, 15); // PCD.fc: UTF-16 text at this offset
  return makeOle({ WordDocument: word, '1Table': table });
}

/** Any image sharp reads, re-encoded as an uncompressed 24-bit BMP (libvips writes no BMP). */
export async function toBmp(image: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rowSize = Math.ceil((info.width * 3) / 4) * 4;
  const bmp = Buffer.alloc(54 + rowSize * info.height);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(info.width, 18);
  bmp.writeInt32LE(info.height, 22); // positive: rows stored bottom-up
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  bmp.writeUInt32LE(rowSize * info.height, 34);
  for (let y = 0; y < info.height; y++) {
    const target = 54 + (info.height - 1 - y) * rowSize;
    for (let x = 0; x < info.width; x++) {
      const source = (y * info.width + x) * 3;
      bmp[target + x * 3] = data[source + 2]!;
      bmp[target + x * 3 + 1] = data[source + 1]!;
      bmp[target + x * 3 + 2] = data[source]!;
    }
  }
  return bmp;
}
