/**
 * The deepest nesting of arrays and objects in JSON text, found with one pass over the characters
 * (strings skipped) and stopping once past `limit`, so a hostile file is refused before JSON.parse
 * and the recursive flattening see it.
 */
export function jsonDepthOver(text: string, limit: number, linesApart = false): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) depth = Math.max(0, depth - 1);
    else if (code === 0x0a && linesApart) depth = 0; // JSON Lines: every line is its own value
  }
  return false;
}
