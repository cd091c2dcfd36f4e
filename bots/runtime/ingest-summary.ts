import type { IngestFailure, IngestSummary } from '../../core/kb-service.js';

const listNames = (names: string[], max = 20): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

/** One line for the finished progress message, e.g. "2 ingested · 1 unchanged · 1 failed (3.2 s)". */
export function summaryLine(s: IngestSummary): string {
  const parts = [`${s.ingested.length} ingested`, `${s.unchanged.length} unchanged`];
  if (s.failed.length) parts.push(`${s.failed.length} failed`);
  return `${parts.join(' · ')} — ${plural(s.chunks, 'chunk')} (${s.seconds.toFixed(1)} s)`;
}

function failureLine(f: IngestFailure): string {
  return `  • ${f.file} — ${f.reason} (${f.code})`;
}

/** The markdown summary of an ingest: what went in, what was already there, what failed and why. */
export function formatSummary(title: string, s: IngestSummary): string {
  const lines = [`**${title}** — ${plural(s.chunks, 'chunk')} in ${s.seconds.toFixed(1)} s`];
  if (s.ingested.length) lines.push(`• Ingested (${s.ingested.length}): ${listNames(s.ingested)}`);
  if (s.unchanged.length) lines.push(`• Unchanged (${s.unchanged.length}): ${listNames(s.unchanged)}`);
  if (s.failed.length) lines.push(`• Failed (${s.failed.length}):`, ...s.failed.map(failureLine));
  if (!s.ingested.length && !s.unchanged.length && !s.failed.length) lines.push('• No files were processed.');
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
