import { TeamKbError } from '../errors.js';

/**
 * Arithmetic without eval: numbers, + - * / % ^, parentheses, unary minus and a few functions.
 * A recursive-descent parser, so no input can reach JavaScript evaluation.
 */
const FUNCTIONS: Record<string, (x: number) => number> = {
  sqrt: Math.sqrt,
  abs: Math.abs,
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
  ln: Math.log,
  log10: Math.log10,
  exp: Math.exp,
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
const MAX_LENGTH = 500;

type Token = { kind: 'num'; value: number } | { kind: 'op'; value: string } | { kind: 'name'; value: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:[.,]\d+)*(?:\.\d+)?(?:e[+-]?\d+)?%?)|([a-z][a-z0-9]*)|(\*\*|[-+*/%^()×÷]))/iy;
  let pos = 0;
  while (pos < input.length) {
    if (/^\s*$/.test(input.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(input);
    if (!m) throw invalid(`unexpected "${input.slice(pos).trim()[0]}"`);
    pos = re.lastIndex;
    if (m[1]) {
      const percent = m[1].endsWith('%');
      // Thousands separators ("12,500") are dropped; a decimal comma is not supported.
      const value = Number(m[1].replace(/%$/, '').replace(/,/g, ''));
      tokens.push({ kind: 'num', value: percent ? value / 100 : value });
    } else if (m[2]) tokens.push({ kind: 'name', value: m[2].toLowerCase() });
    else if (m[3]) tokens.push({ kind: 'op', value: m[3] === '**' ? '^' : m[3] === '×' ? '*' : m[3] === '÷' ? '/' : m[3] });
  }
  return tokens;
}

function invalid(why: string): TeamKbError {
  return new TeamKbError('INVALID_INPUT', `Cannot calculate that: ${why}.`);
}

export function calculate(expression: string): number {
  if (expression.length > MAX_LENGTH) throw invalid(`the expression is longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(expression);
  let i = 0;
  const peek = () => tokens[i];
  const takeOp = (...ops: string[]) => {
    const t = tokens[i];
    if (t?.kind === 'op' && ops.includes(t.value)) {
      i++;
      return t.value;
    }
    return undefined;
  };

  function primary(): number {
    const t = tokens[i++];
    if (!t) throw invalid('the expression ends too early');
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = sum();
      if (!takeOp(')')) throw invalid('a ")" is missing');
      return v;
    }
    if (t.kind === 'name') {
      if (t.value in CONSTANTS) return CONSTANTS[t.value] as number;
      const fn = FUNCTIONS[t.value];
      if (!fn) throw invalid(`unknown name "${t.value}"`);
      if (!takeOp('(')) throw invalid(`${t.value} needs parentheses`);
      const v = sum();
      if (!takeOp(')')) throw invalid('a ")" is missing');
      return fn(v);
    }
    throw invalid(`unexpected "${t.value}"`);
  }
  function unary(): number {
    if (takeOp('-')) return -unary();
    if (takeOp('+')) return unary();
    return power();
  }
  function power(): number {
    const base = primary();
    // Right-associative: 2^3^2 = 2^(3^2).
    return takeOp('^') ? base ** unary() : base;
  }
  function product(): number {
    let v = unary();
    for (let op = takeOp('*', '/', '%'); op; op = takeOp('*', '/', '%')) {
      const r = unary();
      if ((op === '/' || op === '%') && r === 0) throw invalid('division by zero');
      v = op === '*' ? v * r : op === '/' ? v / r : v % r;
    }
    return v;
  }
  function sum(): number {
    let v = product();
    for (let op = takeOp('+', '-'); op; op = takeOp('+', '-')) v = op === '+' ? v + product() : v - product();
    return v;
  }

  if (tokens.length === 0) throw invalid('the expression is empty');
  const value = sum();
  if (peek()) throw invalid(`unexpected "${String(peek()?.value)}"`);
  if (!Number.isFinite(value)) throw invalid('the result is not a finite number');
  return value;
}

/** The result as people write it: up to 10 significant decimals, no float noise. */
export function formatNumber(value: number): string {
  return String(Number.parseFloat(value.toPrecision(12)));
}
