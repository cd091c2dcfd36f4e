/** Renders a Feishu card (JSON 2.0, as the adapter sends it) to the text and buttons a user sees. */
export interface RenderedCard {
  text: string;
  buttons: string[];
  /** Full callback values of the buttons, in order. */
  buttonValues: unknown[];
}

type Node = Record<string, unknown>;

function walk(node: unknown, out: { lines: string[]; buttons: string[]; values: unknown[] }): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Node;
  if (n.tag === 'markdown' || n.tag === 'lark_md' || n.tag === 'plain_text') {
    if (typeof n.content === 'string') out.lines.push(n.content);
    return;
  }
  if (n.tag === 'button') {
    const label = (n.text as Node | undefined)?.content;
    if (typeof label === 'string') out.lines.push(`[${label}]`);
    const behaviors = Array.isArray(n.behaviors) ? (n.behaviors as Node[]) : [];
    for (const b of behaviors) {
      const value = b.value as Node | undefined;
      out.values.push(value);
      if (typeof value?.teamkb === 'string') out.buttons.push(value.teamkb);
    }
    return;
  }
  for (const key of ['elements', 'columns', 'body']) if (key in n) walk(n[key], out);
}

export function renderCard(card: unknown): RenderedCard {
  const out = { lines: [] as string[], buttons: [] as string[], values: [] as unknown[] };
  walk(card, out);
  return { text: out.lines.join('\n'), buttons: out.buttons, buttonValues: out.values };
}
