import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TeamKbError } from '../../core/errors.js';
import type { Passage } from '../../core/kb/passage.js';
import type { LocalKbService } from '../../core/kb/service.js';
import { decodeText } from '../../core/text/encoding.js';
import { type AccessPolicy, canAccess } from '../access/policy.js';
import { fileDownloadPath, fileViewPath, passagePath } from '../passages/links.js';
import { MISSING_PASSAGE, missingPassagePage, passagePage } from '../passages/passage-page.js';
import { principalOf } from './auth.js';

const passageParams = z.object({ kb: z.string().min(1), chunk: z.string().min(1).max(200) });
const fileParams = z.object({ kb: z.string().min(1), file: z.string().min(1) });
const passageView = z.object({
  kb: z.string(),
  chunk_id: z.string(),
  file: z.string(),
  page: z.number().nullable(),
  section: z.string().nullable(),
  before: z.string(),
  text: z.string(),
  after: z.string(),
  page_url: z.string().describe('The passage page (HTML)'),
  open_url: z.string().describe('The original file, opened in the browser (at the page, for PDFs)'),
  download_url: z.string(),
});

/** Files a browser shows safely by themselves; anything else (HTML, SVG, office files) is downloaded. */
const INLINE_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};
/** Shown as plain text (decoded to UTF-8), never rendered: no markup from an upload runs here. */
const TEXT_EXTENSIONS = new Set([
  '.txt',
  '.md',
  '.markdown',
  '.rst',
  '.csv',
  '.tsv',
  '.json',
  '.jsonl',
  '.html',
  '.htm',
  '.xml',
  '.eml',
  '.log',
  '.yaml',
  '.yml',
]);

export interface PassageRouteDeps {
  kb: LocalKbService;
  policy: AccessPolicy;
}

/**
 * Citations open here: the passage page (`/kb/<kb>/passages/<chunk id>`), its JSON for the web chat's
 * side panel, and the original file opened inline. A KB the reader may not see, a temporary KB of
 * another conversation, and a missing passage all answer the same 404 that names nothing.
 */
export async function passageRoutes(app: FastifyInstance, deps: PassageRouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge bases'];

  const lookup = async (req: FastifyRequest, kbName: string, chunk: string): Promise<Passage | undefined> => {
    const kb = deps.policy.find(principalOf(req), kbName);
    if (!kb || !canAccess(deps.policy, principalOf(req), kb, 'search')) return undefined;
    return deps.kb.passage(kb.name, chunk);
  };

  r.get('/kb/:kb/passages/:chunk', { schema: { hide: true, params: passageParams } }, async (req, reply) => {
    const passage = await lookup(req, req.params.kb, req.params.chunk);
    reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store');
    return passage ? reply.send(passagePage(passage)) : reply.status(404).send(missingPassagePage());
  });

  r.get(
    '/api/kb/:kb/passages/:chunk',
    {
      schema: {
        tags,
        summary: 'A cited passage with the text around it, where it is in its file, and links to open the file',
        params: passageParams,
        response: { 200: passageView },
      },
    },
    async (req, reply) => {
      const p = await lookup(req, req.params.kb, req.params.chunk);
      if (!p) throw new TeamKbError('PASSAGE_NOT_FOUND', MISSING_PASSAGE);
      reply.header('cache-control', 'private, no-store');
      return {
        kb: p.kb,
        chunk_id: p.chunkId,
        file: p.file,
        page: p.page ?? null,
        section: p.section ?? null,
        before: p.before,
        text: p.text,
        after: p.after,
        page_url: passagePath(p.kb, p.chunkId),
        open_url: fileViewPath(p.kb, p.file, p.page),
        download_url: fileDownloadPath(p.kb, p.file),
      };
    },
  );

  r.get(
    '/api/kb/:kb/files/:file/view',
    {
      schema: {
        tags,
        summary: 'Open a source file in the browser (PDFs and images as they are, text as plain text)',
        params: fileParams,
      },
    },
    async (req, reply) => {
      const kb = deps.policy.require(principalOf(req), req.params.kb, 'download').name;
      const path = deps.kb.sourcePath(kb, req.params.file);
      const name = encodeURIComponent(basename(path));
      const ext = extname(path).toLowerCase();
      const type = INLINE_TYPES[ext];
      if (!type && !TEXT_EXTENSIONS.has(ext)) {
        return reply
          .header('content-disposition', `attachment; filename*=UTF-8''${name}`)
          .type('application/octet-stream')
          .send(createReadStream(path));
      }
      reply.header('content-disposition', `inline; filename*=UTF-8''${name}`).header('cache-control', 'private, no-store');
      if (type === 'application/pdf') {
        // The browser's PDF viewer is a plugin: the page-wide policy (object-src 'none') would block it.
        reply.header('content-security-policy', "frame-ancestors 'none'");
      }
      if (type) return reply.type(type).send(createReadStream(path));
      return reply.type('text/plain; charset=utf-8').send(decodeText(await readFile(path)).text);
    },
  );
}
