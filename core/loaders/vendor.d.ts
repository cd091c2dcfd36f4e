// Minimal typings for dependencies that ship none; only what the loaders use.

declare module 'bmp-js' {
  const bmp: { decode(bytes: Buffer): { width: number; height: number; data: Buffer } };
  export default bmp;
}

declare module 'word-extractor' {
  interface WordDocument {
    getBody(): string;
    getFootnotes(): string;
    getEndnotes(): string;
    getHeaders(options?: { includeFooters?: boolean }): string;
    getTextboxes(options?: { includeHeadersAndFooters?: boolean; includeBody?: boolean }): string;
  }
  export default class WordExtractor {
    extract(source: string | Buffer): Promise<WordDocument>;
  }
}
