import { describe, expect, it } from 'vitest';
import { MAX_FILE_NAME_BYTES, safeFileName } from '../../../core/kb/names.js';

describe('safeFileName', () => {
  it('shortens long names to at most 200 bytes, keeping the extension and whole characters', () => {
    for (const stem of ['a'.repeat(300), '报告'.repeat(120), '😀'.repeat(90)]) {
      const name = safeFileName(`${stem}.docx`);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
      expect(name.endsWith('~.docx')).toBe(true);
      expect(name).not.toContain('\uFFFD');
      expect(stem.startsWith(name.slice(0, -'~.docx'.length))).toBe(true);
    }
  });

  it('shortens every folder part too and leaves short names alone', () => {
    const name = safeFileName(`${'d'.repeat(260)}/notes.txt`);
    expect(name).toBe(`${'d'.repeat(MAX_FILE_NAME_BYTES - 1)}~/notes.txt`);
    expect(safeFileName('plans/2024 Q3.md')).toBe('plans/2024 Q3.md');
  });

  it('stores NFC and drops control and direction-override characters', () => {
    expect(safeFileName('Cafe\u0301.txt')).toBe('Caf\u00e9.txt');
    expect(safeFileName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(safeFileName('a\u2066b\u2069c\u200F\u0007\u0085.md')).toBe('abc.md');
  });

  it('refuses names with nothing usable left, and never climbs out of the folder', () => {
    expect(() => safeFileName('\u202E\u202C')).toThrow(/not a usable file name/);
    expect(safeFileName('../../etc/passwd')).toBe('etc/passwd');
  });
});
