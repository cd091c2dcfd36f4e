/** Rows are grouped into one table block up to about this many characters (a row longer than this stays alone). */
export const ROW_GROUP_CHARS = 500;

export interface RowText {
  text: string;
  /** 1-based data row number (header excluded). */
  row: number;
}

export interface RowGroup {
  text: string;
  row: number;
  rowEnd?: number;
}

/** "Name: Alice | Dept: Sales": each non-empty cell with its column header; unlabeled cells keep only their value. */
export function labelRow(header: readonly string[], cells: readonly string[]): string {
  const parts: string[] = [];
  cells.forEach((cell, column) => {
    const value = cell.replace(/\s+/g, ' ').trim();
    if (!value) return;
    const name = (header[column] ?? '').replace(/\s+/g, ' ').trim();
    parts.push(name && name !== value ? `${name}: ${value}` : value);
  });
  return parts.join(' | ');
}

/** Consecutive rows joined (one per line) while the group stays under `maxChars`. */
export function groupRows(rows: readonly RowText[], maxChars = ROW_GROUP_CHARS): RowGroup[] {
  const groups: RowGroup[] = [];
  let current: RowText[] = [];
  let size = 0;
  const flush = () => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first && last) {
      groups.push({
        text: current.map((row) => row.text).join('\n'),
        row: first.row,
        rowEnd: last.row === first.row ? undefined : last.row,
      });
    }
    current = [];
    size = 0;
  };
  for (const row of rows) {
    if (!row.text.trim()) continue;
    if (current.length > 0 && size + row.text.length + 1 > maxChars) flush();
    current.push(row);
    size += row.text.length + 1;
  }
  flush();
  return groups;
}
