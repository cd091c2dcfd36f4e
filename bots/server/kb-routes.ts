import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TeamKbError } from '../../core/errors.js';
import type { LocalKbService } from '../../core/kb/service.js';
import type { UploadedFile } from '../../core/kb-service.js';
import { actorKey } from '../../core/principal.js';
import type { AccessPolicy, Action } from '../access/policy.js';
import { isTempKbName, TEMP_KB_PREFIX } from '../commands/kb-name.js';
import type { JobTracker } from '../jobs.js';
import { principalOf } from './auth.js';
import { jobRoutes } from './job-routes.js';

const kbParams = z.object({ kb: z.string().min(1) });
const fileParams = z.object({ kb: z.string().min(1), file: z.string().min(1) });
const kbView = z.object({
  name: z.string(),
  description: z.string(),
  embedder: z.string(),
  dim: z.number().nullable(),
  store: z.string(),
  visibility: z.string(),
  createdAt: z.string(),
  /** What the asker may do with it (the web console shows the matching controls). */
  canUpload: z.boolean().optional(),
  canManage: z.boolean().optional(),
});
const fileView = z.object({
  name: z.string(),
  status: z.string(),
  chunks: z.number(),
  size: z.number(),
  sha256: z.string(),
  error: z.string().nullable(),
  updatedAt: z.string(),
});
const filesQuery = z.object({
  q: z.string().max(200).default(''),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const jobAccepted = z.object({ jobId: z.string(), status: z.string(), events: z.string() });
const searchBody = z.object({
  query: z.string().min(1),
  top_k: z.number().int().min(1).max(100).optional(),
  mode: z.enum(['hybrid', 'dense', 'bm25']).optional(),
  score_threshold: z.number().min(0).max(1).optional(),
});
const hitView = z.object({
  text: z.string(),
  score: z.number(),
  source: z.string(),
  page: z.number().nullable(),
  chunk_id: z.string(),
  kb: z.string(),
});

export interface KbRouteDeps {
  kb: LocalKbService;
  jobs: JobTracker;
  maxUploadBytes: number;
  policy: AccessPolicy;
}

/** Knowledge-base REST API (list/create/delete KBs, files, search, reindex, downloads) and its jobs. */
export async function kbRoutes(app: FastifyInstance, deps: KbRouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge bases'];
  /** Every route names its KB through the policy: an invisible KB answers exactly like a missing one. */
  const allowed = (req: FastifyRequest, kb: string, action: Action) => deps.policy.require(principalOf(req), kb, action).name;

  r.get(
    '/api/kb',
    { schema: { tags, summary: 'List knowledge bases', response: { 200: z.object({ kbs: z.array(kbView) }) } } },
    async (req) => {
      const principal = principalOf(req);
      return {
        kbs: deps.policy.visibleKbs(principal).map((kb) => ({
          ...kb,
          canUpload: deps.policy.can(principal, kb, 'upload'),
          canManage: deps.policy.can(principal, kb, 'manage'),
        })),
      };
    },
  );

  r.post(
    '/api/kb',
    {
      schema: {
        tags,
        summary: 'Create a knowledge base',
        body: z.object({
          name: z.string().min(1),
          description: z.string().optional(),
          visibility: z.enum(['public', 'private']).optional().describe('private: only its creator and admins see it'),
        }),
        response: { 201: kbView },
      },
    },
    async (req, reply) => {
      const principal = principalOf(req);
      deps.policy.requireAdmin(principal, 'create knowledge bases');
      if (isTempKbName(req.body.name)) {
        throw new TeamKbError(
          'KB_NAME_INVALID',
          `Names starting with "${TEMP_KB_PREFIX}" are reserved for files shared in chats.`,
        );
      }
      const { name, description, visibility } = req.body;
      return reply.status(201).send(await deps.kb.createKb(name, { description, createdBy: actorKey(principal), visibility }));
    },
  );

  r.delete('/api/kb/:kb', { schema: { tags, summary: 'Delete a knowledge base', params: kbParams } }, async (req, reply) => {
    await deps.kb.deleteKb(allowed(req, req.params.kb, 'manage'));
    return reply.status(204).send();
  });

  r.get(
    '/api/kb/:kb/files',
    {
      schema: {
        tags,
        summary: 'List files, a page at a time (q: part of the name, or a status such as "failed")',
        params: kbParams,
        querystring: filesQuery,
        response: { 200: z.object({ files: z.array(fileView), total: z.number(), offset: z.number() }) },
      },
    },
    async (req) => {
      const { q, offset, limit } = req.query;
      const needle = q.trim().toLowerCase();
      const all = deps.kb.listFiles(allowed(req, req.params.kb, 'see'));
      const matching = needle ? all.filter((f) => f.name.toLowerCase().includes(needle) || f.status === needle) : all;
      return { files: matching.slice(offset, limit === undefined ? undefined : offset + limit), total: matching.length, offset };
    },
  );

  r.post(
    '/api/kb/:kb/files',
    {
      schema: {
        tags,
        summary: 'Upload files (multipart/form-data, field "files"); ingestion runs in the background',
        params: kbParams,
        response: { 202: jobAccepted },
      },
    },
    async (req, reply) => {
      const kb = allowed(req, req.params.kb, 'upload');
      if (!req.isMultipart()) throw new TeamKbError('INVALID_INPUT', 'Send the files as multipart/form-data.');
      const files: UploadedFile[] = [];
      for await (const part of req.files({ limits: { fileSize: deps.maxUploadBytes } })) {
        const bytes = await part.toBuffer();
        if (part.file.truncated) throw new TeamKbError('FILE_TOO_LARGE', `${part.filename}: over the upload limit.`);
        files.push({ name: part.filename, bytes });
      }
      if (files.length === 0) throw new TeamKbError('INVALID_INPUT', 'No files in the upload.');
      const jobId = await deps.jobs.start((hooks) => deps.kb.ingestUploads(kb, files, hooks));
      return reply.status(202).send({ jobId, status: 'running', events: `/api/jobs/${jobId}/events` });
    },
  );

  r.delete('/api/kb/:kb/files/:file', { schema: { tags, summary: 'Remove a file', params: fileParams } }, async (req) => ({
    removedChunks: await deps.kb.removeFile(allowed(req, req.params.kb, 'upload'), req.params.file),
  }));

  r.get(
    '/api/kb/:kb/files/:file/download',
    { schema: { tags, summary: 'Download a source file', params: fileParams } },
    async (req, reply) => {
      const path = deps.kb.sourcePath(allowed(req, req.params.kb, 'download'), req.params.file);
      const name = encodeURIComponent(basename(path));
      return reply
        .header('content-disposition', `attachment; filename*=UTF-8''${name}`)
        .type('application/octet-stream')
        .send(createReadStream(path));
    },
  );

  r.post(
    '/api/kb/:kb/search',
    {
      schema: {
        tags,
        summary: 'Search passages (no LLM)',
        params: kbParams,
        body: searchBody,
        response: { 200: z.object({ hits: z.array(hitView) }) },
      },
    },
    async (req) => {
      const kbs = req.params.kb.split(',').map((name) => allowed(req, name, 'search'));
      const hits = await deps.kb.search(kbs, req.body.query, {
        topK: req.body.top_k,
        mode: req.body.mode,
        scoreThreshold: req.body.score_threshold,
      });
      return {
        hits: hits.map((h) => ({
          text: h.chunk.text,
          score: h.score,
          source: h.chunk.meta.source,
          page: h.chunk.meta.page ?? null,
          chunk_id: h.chunk.id,
          kb: h.kb,
        })),
      };
    },
  );

  r.post(
    '/api/kb/:kb/reindex',
    {
      schema: {
        tags,
        summary: 'Re-embed every file; recreate drops the vectors first (progress at the events URL)',
        params: kbParams,
        body: z.object({ recreate: z.boolean().default(false) }).default({ recreate: false }),
        response: { 202: jobAccepted },
      },
    },
    async (req, reply) => {
      const kb = allowed(req, req.params.kb, 'upload');
      const jobId = await deps.jobs.start((hooks) => deps.kb.reindex(kb, { ...hooks, recreate: req.body.recreate }));
      return reply.status(202).send({ jobId, status: 'running', events: `/api/jobs/${jobId}/events` });
    },
  );

  await jobRoutes(app, deps.jobs, deps.policy);
}
