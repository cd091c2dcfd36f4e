/** One word of a `/kb` command line. */
export interface Token {
  value: string;
  /** Written inside quotes: never a flag, kept as one argument. */
  quoted: boolean;
}

/** Opening quote → the closing quotes accepted for it (phones and IMEs mix straight and curly quotes). */
const CLOSERS: Record<string, string> = {
  '"': '"”“',
  '“': '”“"',
  '”': '”“"',
  "'": "'’‘",
  '‘': "’‘'",
  '’': "’‘'",
  '「': '」',
  '『': '』',
};

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/u.test(ch);

/** Index of a closing quote that ends a token (followed by whitespace or the end), or -1. */
function findCloser(text: string, from: number, closers: string): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i] as string;
    if (closers.includes(ch) && (i + 1 === text.length || isSpace(text[i + 1]))) return i;
  }
  return -1;
}

/**
 * Splits a command line on whitespace (full-width spaces included). A token that starts with a
 * quote runs to the matching closing quote; an unmatched quote is an ordinary character, so
 * apostrophes inside questions ("what's") survive.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    const closers = CLOSERS[text[i] as string];
    if (closers) {
      const end = findCloser(text, i + 1, closers);
      if (end > i) {
        tokens.push({ value: text.slice(i + 1, end), quoted: true });
        i = end + 1;
        continue;
      }
    }
    let end = i;
    while (end < text.length && !isSpace(text[end])) end++;
    tokens.push({ value: text.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

/** `--yes`, or `—yes` / `–yes` as phone keyboards rewrite two hyphens. Returns the flag name. */
export function flagName(token: Token): string | undefined {
  if (token.quoted) return undefined;
  const m = /^(?:--|—|–)([a-z][a-z-]*)$/i.exec(token.value);
  return m?.[1]?.toLowerCase();
}
