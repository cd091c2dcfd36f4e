import type { Loader } from '../loader.js';
import { BlockList, finishDoc } from './blocks.js';
import type { LoaderContext } from './context.js';
import { causeLine, fileError, raceAbort, throwIfAborted } from './failures.js';

/** E-mail (.eml): subject, sender, recipients and date, then the body; attachments are listed by name, not read. */
export function createEmlLoader(context: LoaderContext): Loader {
  return {
    extensions: ['eml'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      const { simpleParser } = await import('mailparser');
      let mail: Awaited<ReturnType<typeof simpleParser>>;
      try {
        mail = await raceAbort(simpleParser(file.bytes, { skipImageLinks: true, skipTextToHtml: true }), signal, file);
      } catch (err) {
        if ((err as { code?: string }).code === 'CANCELLED') throw err;
        throw fileError('FILE_CORRUPT', file, `not a readable e-mail (${causeLine(err)})`, err);
      }
      const subject = (mail.subject ?? '').trim();
      const header = [
        subject && `Subject: ${subject}`,
        mail.from?.text && `From: ${mail.from.text}`,
        addresses(mail.to) && `To: ${addresses(mail.to)}`,
        addresses(mail.cc) && `Cc: ${addresses(mail.cc)}`,
        mail.date && !Number.isNaN(mail.date.getTime()) && `Date: ${mail.date.toISOString()}`,
      ].filter(Boolean);
      const { readableDocument } = await import('../text/readable-html.js'); // first use only, as in html.ts
      const fromHtml =
        !mail.text?.trim() && typeof mail.html === 'string'
          ? readableDocument(mail.html, undefined, context.limits.html)
          : undefined;
      const body = mail.text?.trim() || (fromHtml?.sections.map((section) => section.text).join('\n\n') ?? '');
      const attachments = mail.attachments.map((attachment) => attachment.filename).filter(Boolean);
      const footer = attachments.length > 0 ? `Attachments (not read): ${attachments.join(', ')}` : '';
      const blocks = new BlockList();
      blocks.prose([header.join('\n'), body, footer].filter(Boolean).join('\n\n'), { headings: subject ? [subject] : [] });
      return finishDoc(file, blocks.blocks, fromHtml?.warning ? [fromHtml.warning] : []);
    },
  };
}

function addresses(field: { text: string } | { text: string }[] | undefined): string {
  if (!field) return '';
  return (Array.isArray(field) ? field.map((item) => item.text) : [field.text]).join(', ');
}
