/** A file handed to a loader. `bytes` is the whole file content. */
export interface SourceFile {
  /** Path or name as the user knows it (shown in citations). */
  name: string;
  /** Lower-case extension without the dot, e.g. "pdf". */
  extension: string;
  bytes: Buffer;
}

/** Where a piece of text came from inside its file. */
export interface BlockMeta {
  page?: number;
  /** Heading path, outermost first, e.g. ["Install", "Linux"]. */
  headings?: string[];
  sheet?: string;
  /** First data row (1-based, header excluded) of a table block. */
  row?: number;
  /** Last data row of a table block when it groups several rows. */
  rowEnd?: number;
  slide?: number;
}

/**
 * A unit of loaded text. Prose blocks are split further by the splitter;
 * table blocks (rows with their header names) are kept whole when they fit.
 */
export interface DocBlock {
  text: string;
  kind: 'prose' | 'table';
  meta: BlockMeta;
}

export interface LoadedDoc {
  source: string;
  blocks: DocBlock[];
  /** Non-fatal problems worth telling the user (e.g. "page 3: OCR unavailable"). */
  warnings: string[];
}
