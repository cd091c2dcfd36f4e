/** Message content as the fake Slack stores it. */
export interface RenderableMessage {
  text: string;
  blocks?: Array<Record<string, unknown>>;
  /** Text of a native stream, shown above the blocks. */
  markdown?: string;
}

/** What a person reads: section and context texts when blocks are set, else the text. */
export function renderPlain(m: RenderableMessage): string {
  if (m.markdown !== undefined) return [m.markdown, renderBlocks(m.blocks ?? [])].filter(Boolean).join('\n');
  if (!m.blocks || m.blocks.length === 0) return m.text;
  return renderBlocks(m.blocks);
}

function renderBlocks(blocks: Array<Record<string, unknown>>): string {
  const lines: string[] = [];
  for (const block of blocks) {
    const text = block.text as { text?: string } | undefined;
    if (text?.text) lines.push(text.text);
    if (block.type === 'context') {
      for (const el of block.elements as Array<{ text?: string }>) if (el.text) lines.push(el.text);
    }
  }
  return lines.join('\n');
}

export function buttonValues(blocks: Array<Record<string, unknown>> | undefined): string[] {
  const values: string[] = [];
  for (const block of blocks ?? []) {
    if (block.type !== 'actions') continue;
    for (const el of block.elements as Array<Record<string, unknown>>) if (typeof el.value === 'string') values.push(el.value);
  }
  return values;
}
