import { describe, expect, it } from 'vitest';
import { calculate, formatNumber } from '../../../core/agent/calculator.js';

describe('safe calculator', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 10', 1024],
    ['-3 + 5', 2],
    ['10 % 4', 2],
    ['12,500 * 2', 25000],
    ['15% * 200', 30],
    ['sqrt(16) + abs(-2)', 6],
    ['round(pi * 100)', 314],
    ['6 × 7 ÷ 2', 21],
  ])('%s = %d', (expression, value) => {
    expect(calculate(expression)).toBeCloseTo(value, 10);
  });

  it.each(['', '2 +', '(1 + 2', '1 / 0', 'process.exit(1)', 'constructor', '1; 2', `x${'1+'.repeat(300)}`])(
    'refuses %j with a clear error',
    (expression) => {
      expect(() => calculate(expression)).toThrow(/Cannot calculate that/);
    },
  );

  it('prints results without float noise', () => {
    expect(formatNumber(calculate('0.1 + 0.2'))).toBe('0.3');
    expect(formatNumber(calculate('(55 - 40) / 40 * 100'))).toBe('37.5');
  });
});
