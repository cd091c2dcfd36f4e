import type { BlockList } from './blocks.js';

/** Builds one prose block per heading section; the section text starts with its heading line. */
export class SectionWriter {
  private readonly path: { level: number; text: string }[] = [];
  private lines: string[] = [];
  private hasBody = false;

  constructor(private readonly blocks: BlockList) {}

  heading(level: number, text: string): void {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    this.flush();
    while (this.path.length > 0 && this.path[this.path.length - 1]!.level >= level) this.path.pop();
    this.path.push({ level, text: clean });
    this.lines.push(clean);
  }

  line(text: string): void {
    this.lines.push(text);
    if (text.trim()) this.hasBody = true;
  }

  /** Ends the current section; a heading with no body reaches the sections below it through meta.headings. */
  flush(): void {
    if (this.hasBody) this.blocks.prose(this.lines.join('\n'), { headings: this.path.map((entry) => entry.text) });
    this.lines = [];
    this.hasBody = false;
  }
}
