import type { Passage } from '../../core/kb/passage.js';
import { fileDownloadPath, fileViewPath } from './links.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;

function langOf(text: string): string {
  const han = text.match(CJK)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han > 0 && han >= latin / 4 ? 'zh-CN' : 'en';
}

/** "p.3 · Install > Linux": where in the file the passage is. */
export function placeOf(p: Pick<Passage, 'page' | 'slide' | 'section'>): string {
  const parts: string[] = [];
  if (p.page !== undefined) parts.push(`page ${p.page}`);
  if (p.slide !== undefined) parts.push(`slide ${p.slide}`);
  if (p.section) parts.push(p.section);
  return parts.join(' · ');
}

/**
 * The passage page: the cited passage highlighted in the text around it, the file and where in it,
 * and links that open the original (at the page, for PDFs) or download it. Static HTML with the
 * server's own stylesheet only, so it renders under the strict content security policy.
 */
export function passagePage(p: Passage): string {
  const place = placeOf(p);
  const title = `${p.file}${p.page !== undefined ? ` p.${p.page}` : ''}`;
  const open = fileViewPath(p.kb, p.file, p.page);
  const openLabel = p.page !== undefined ? `Open ${p.file} at page ${p.page}` : `Open ${p.file}`;
  return `<!doctype html>
<html lang="${langOf(p.before + p.text + p.after)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)} · TeamKB</title>
<link rel="stylesheet" href="/passage.css">
</head>
<body class="passage-page">
<header><a class="home" href="/">TeamKB</a></header>
<main>
<h1 class="file">${escapeHtml(p.file)}</h1>
<p class="where"><span class="kb">${escapeHtml(p.kb)}</span>${place ? ` · <span class="place">${escapeHtml(place)}</span>` : ''}</p>
<div class="context"><span class="before">${escapeHtml(p.before)}</span><mark id="passage" class="passage">${escapeHtml(p.text)}</mark><span class="after">${escapeHtml(p.after)}</span></div>
<p class="actions"><a class="open" href="${escapeHtml(open)}" target="_blank" rel="noopener">${escapeHtml(openLabel)}</a> <a class="download" href="${escapeHtml(fileDownloadPath(p.kb, p.file))}">Download</a></p>
</main>
</body>
</html>
`;
}

/** The same page's answer for a passage that is missing or not the reader's to see: names nothing. */
export function missingPassagePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Passage not found · TeamKB</title>
<link rel="stylesheet" href="/passage.css">
</head>
<body class="passage-page">
<header><a class="home" href="/">TeamKB</a></header>
<main><h1>Passage not found</h1><p class="where">${escapeHtml(MISSING_PASSAGE)}</p></main>
</body>
</html>
`;
}

export const MISSING_PASSAGE =
  'This passage does not exist or is no longer in its knowledge base, or you may not see it. Signed out? Send `/kb web` to the bot for a sign-in link.';
