/**
 * Addresses of a cited passage and of its file. `base` is TEAMKB_PUBLIC_URL without a trailing
 * slash, or '' for links relative to this server (the web chat, API clients).
 */
export function passagePath(kb: string, chunkId: string): string {
  return `/kb/${encodeURIComponent(kb)}/passages/${encodeURIComponent(chunkId)}`;
}

export function passageApiPath(kb: string, chunkId: string): string {
  return `/api/kb/${encodeURIComponent(kb)}/passages/${encodeURIComponent(chunkId)}`;
}

/** The original file, opened in the browser (PDFs at `page`). */
export function fileViewPath(kb: string, file: string, page?: number): string {
  const at = page !== undefined ? `#page=${page}` : '';
  return `/api/kb/${encodeURIComponent(kb)}/files/${encodeURIComponent(file)}/view${at}`;
}

export function fileDownloadPath(kb: string, file: string): string {
  return `/api/kb/${encodeURIComponent(kb)}/files/${encodeURIComponent(file)}/download`;
}
