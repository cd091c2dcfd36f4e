import { describe, expect, it } from 'vitest';
import { RowCounts } from '../../../adapters/stores/row-counts.js';

describe('row counts for the hybrid pool', () => {
  it('counts once, again after a write through the store or after the time limit', async () => {
    let now = 0;
    let rows = 10;
    let counted = 0;
    const count = async () => {
      counted++;
      return rows;
    };
    const counts = new RowCounts(1_000, () => now);
    expect(await counts.get('kb', count)).toBe(10);
    rows = 20;
    expect(await counts.get('kb', count)).toBe(10);
    counts.forget('kb');
    expect(await counts.get('kb', count)).toBe(20);
    rows = 30;
    now = 1_001;
    expect(await counts.get('kb', count)).toBe(30);
    expect(counted).toBe(3);
  });
});
