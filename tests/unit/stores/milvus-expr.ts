/**
 * The part of Milvus 2.5's boolean expression language (internal/parser/planparserv2, Plan.g4)
 * the store may send, parsed as strictly as the server does, so a fake refuses what a real
 * server would refuse: unknown fields, literals of the wrong type (`ordinal in ["1"]`), raw line
 * breaks inside string literals, unbalanced quotes or brackets, trailing text.
 *
 *   expr    := or
 *   or      := and (("or" | "||") and)*
 *   and     := unary (("and" | "&&") unary)*
 *   unary   := ("not" | "!") unary | "(" expr ")" | field compare
 *   compare := ("==" | "!=" | ">" | ">=" | "<" | "<=") literal | ["not"] "in" "[" [literal ("," literal)*] "]"
 *   literal := string ("..." or '...', C escapes) | integer
 */

type Row = Record<string, unknown>;
export type FieldKind = 'string' | 'int';
export type Predicate = (row: Row) => boolean;

/** The scalar fields of a TeamKB collection (vectors and JSON cannot be filtered on here). */
export const TEAMKB_FIELDS: Record<string, FieldKind> = { id: 'string', file_id: 'string', text: 'string', ordinal: 'int' };

type Token = { kind: 'word' | 'op' | 'string' | 'int'; value: string };

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '"': '"',
  "'": "'",
  '\\': '\\',
  '?': '?',
};

export class ExprError extends Error {}

function readString(src: string, start: number): { value: string; end: number } {
  const quote = src[start];
  let value = '';
  let i = start + 1;
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === quote) return { value, end: i + 1 };
    if (ch === '\n' || ch === '\r') throw new ExprError(`line break inside a string literal at ${i}`);
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    const esc = src[i + 1] ?? '';
    if (esc in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[esc];
      i += 2;
    } else if (esc === 'u' || esc === 'U' || esc === 'x') {
      const width = esc === 'u' ? 4 : esc === 'U' ? 8 : 2;
      const hex = src.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new ExprError(`bad \\${esc} escape at ${i}`);
      value += String.fromCodePoint(Number.parseInt(hex, 16));
      i += 2 + width;
    } else if (/[0-7]/.test(esc)) {
      const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1))?.[0] as string;
      value += String.fromCharCode(Number.parseInt(oct, 8));
      i += 1 + oct.length;
    } else {
      throw new ExprError(`unknown escape \\${esc} at ${i}`);
    }
  }
  throw new ExprError('unterminated string literal');
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      const { value, end } = readString(src, i);
      tokens.push({ kind: 'string', value });
      i = end;
    } else if (/[-0-9]/.test(ch)) {
      const m = /^-?[0-9]+/.exec(src.slice(i));
      if (!m) throw new ExprError(`unexpected "${ch}" at ${i}`);
      tokens.push({ kind: 'int', value: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))?.[0] as string;
      tokens.push({ kind: 'word', value: word });
      i += word.length;
    } else {
      const op = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '(', ')', '[', ']', ','].find((o) => src.startsWith(o, i));
      if (op === undefined) throw new ExprError(`unexpected "${ch}" at ${i}`);
      tokens.push({ kind: 'op', value: op });
      i += op.length;
    }
  }
  return tokens;
}

type Value = string | number;

function compare(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // VarChar compares byte-wise (UTF-8).
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

/**
 * Parses `expr` against `fields` and returns the row test, or throws ExprError with the reason a
 * server would give. The empty expression matches every row.
 */
export function compileExpr(expr: string, fields: Record<string, FieldKind> = TEAMKB_FIELDS): Predicate {
  if (expr.trim() === '') return () => true;
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (w: string) => peek()?.kind === 'word' && peek()?.value.toLowerCase() === w;
  const isOp = (o: string) => peek()?.kind === 'op' && peek()?.value === o;
  const expectOp = (o: string) => {
    if (!isOp(o)) throw new ExprError(`expected "${o}" at token ${pos} of ${expr}`);
    pos++;
  };

  const literal = (field: string): Value => {
    const tok = tokens[pos++];
    const kind = fields[field];
    if (tok?.kind === 'string' && kind === 'string') return tok.value;
    if (tok?.kind === 'int' && kind === 'int') return Number(tok.value);
    throw new ExprError(`cannot compare field ${field} (${kind}) with ${tok ? `${tok.kind} ${tok.value}` : 'nothing'}`);
  };

  const comparison = (): Predicate => {
    const tok = tokens[pos++];
    if (tok?.kind !== 'word' || ['and', 'or', 'not', 'in'].includes(tok.value.toLowerCase()))
      throw new ExprError(`expected a field name at token ${pos - 1} of ${expr}`);
    const field = tok.value;
    if (!(field in fields)) throw new ExprError(`field ${field} not exist`);
    const get = (row: Row): Value => (fields[field] === 'int' ? Number(row[field]) : String(row[field]));
    let negated = false;
    if (isWord('not')) {
      pos++;
      negated = true;
      if (!isWord('in')) throw new ExprError(`expected "in" after "not" in ${expr}`);
    }
    if (isWord('in')) {
      pos++;
      expectOp('[');
      const list: Value[] = [];
      while (!isOp(']')) {
        list.push(literal(field));
        if (!isOp(']')) expectOp(',');
      }
      expectOp(']');
      return (row) => list.some((v) => compare(get(row), v) === 0) !== negated;
    }
    const op = tokens[pos++];
    if (op?.kind !== 'op' || !['==', '!=', '>', '>=', '<', '<='].includes(op.value))
      throw new ExprError(`expected a comparison after ${field} in ${expr}`);
    const value = literal(field);
    const test = {
      '==': (c: number) => c === 0,
      '!=': (c: number) => c !== 0,
      '>': (c: number) => c > 0,
      '>=': (c: number) => c >= 0,
      '<': (c: number) => c < 0,
      '<=': (c: number) => c <= 0,
    }[op.value] as (c: number) => boolean;
    return (row) => test(compare(get(row), value));
  };

  const unary = (): Predicate => {
    if (isWord('not') || isOp('!')) {
      pos++;
      const inner = unary();
      return (row) => !inner(row);
    }
    if (isOp('(')) {
      pos++;
      const inner = or();
      expectOp(')');
      return inner;
    }
    return comparison();
  };
  const and = (): Predicate => {
    const parts = [unary()];
    while (isWord('and') || isOp('&&')) {
      pos++;
      parts.push(unary());
    }
    return (row) => parts.every((p) => p(row));
  };
  function or(): Predicate {
    const parts = [and()];
    while (isWord('or') || isOp('||')) {
      pos++;
      parts.push(and());
    }
    return (row) => parts.some((p) => p(row));
  }

  const predicate = or();
  if (pos !== tokens.length) throw new ExprError(`unexpected ${tokens[pos]?.value} at token ${pos} of ${expr}`);
  return predicate;
}
