import { describe, expect, it } from 'vitest';
import { filterExpr, idExpr, ordinalsExpr } from '../../../adapters/stores/milvus/filter-expr.js';
import { compileExpr } from './milvus-expr.js';

const row = (id: string, file_id: string, ordinal: number) => ({ id, file_id, ordinal, text: 't' });

// The fakes refuse what Milvus 2.5 refuses; these pin the parser they share.
describe('the Milvus expression parser of the fakes', () => {
  it('reads every expression the store writes, for any value', () => {
    const odd = 'o\'brien") OR 1=1 -- 文件 \\ "\n\t😀';
    expect(compileExpr(idExpr(odd))(row(odd, 'f', 0))).toBe(true);
    expect(compileExpr(idExpr(odd))(row('o', 'f', 0))).toBe(false);
    const near = compileExpr(ordinalsExpr(odd, [0, 2]));
    expect([near(row('a', odd, 2)), near(row('b', odd, 1)), near(row('c', 'f', 2))]).toEqual([true, false, false]);
    const filter = compileExpr(filterExpr({ fileIds: ['a', odd], excludeFileIds: [odd] }) as string);
    expect([filter(row('x', 'a', 0)), filter(row('y', odd, 0))]).toEqual([true, false]);
    expect(compileExpr('id > "b"')(row('c', 'f', 0))).toBe(true);
    expect(compileExpr('')(row('c', 'f', 0))).toBe(true);
  });

  it('refuses what the server refuses: wrong literal types, unknown fields, raw line breaks, broken syntax', () => {
    for (const bad of [
      'ordinal in ["1"]',
      'file_id == 1',
      'page == 1',
      'id in ["a\nb"]',
      'id in ["a"',
      'id in ["a"] and',
      'id == "a" junk',
      'id = "a"',
      'id in ["\\q"]',
      '"a" == id',
    ]) {
      expect(() => compileExpr(bad), bad).toThrow();
    }
    expect(compileExpr('id in [\'single\', "double"] || not (ordinal >= 3)')(row('single', 'f', 5))).toBe(true);
  });
});
