import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileChunks, kbNameCheck, updateKbSettings } from '../../core/kb/admin.js';
import type { LocalKbService } from '../../core/kb/service.js';
import type { AccessPolicy, Action } from '../access/policy.js';
import { isTempKbName, TEMP_KB_PREFIX } from '../commands/kb-name.js';
import { principalOf } from './auth.js';

export interface KbAdminRouteDeps {
  kb: LocalKbService;
  policy: AccessPolicy;
}

const kbParams = z.object({ kb: z.string().min(1) });

/** What the web console's KB administration needs beyond the KB API: name check, settings, chunks. */
export async function kbAdminRoutes(app: FastifyInstance, deps: KbAdminRouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge bases'];
  const allowed = (req: FastifyRequest, kb: string, action: Action) => deps.policy.require(principalOf(req), kb, action).name;

  r.get(
    '/api/kb-names/check',
    {
      schema: {
        tags,
        summary: 'Whether a new knowledge base could take this name, and if not, why (the words createKb would use)',
        querystring: z.object({ name: z.string().max(400) }),
        response: { 200: z.object({ ok: z.boolean(), problem: z.string().nullable() }) },
      },
    },
    async (req) => {
      deps.policy.requireAdmin(principalOf(req), 'create knowledge bases');
      const problem = isTempKbName(req.query.name)
        ? `Names starting with "${TEMP_KB_PREFIX}" are reserved for files shared in chats.`
        : kbNameCheck(deps.kb.registry, req.query.name);
      return { ok: !problem, problem: problem ?? null };
    },
  );

  r.patch(
    '/api/kb/:kb',
    {
      schema: {
        tags,
        summary: "Change a knowledge base's description or visibility",
        params: kbParams,
        body: z.object({
          description: z.string().max(2000).optional(),
          visibility: z.enum(['public', 'restricted', 'private']).optional(),
        }),
      },
    },
    async (req) => updateKbSettings(deps.kb.registry, allowed(req, req.params.kb, 'manage'), req.body),
  );

  r.get(
    '/api/kb/:kb/files/:file/chunks',
    {
      schema: {
        tags,
        summary: "A file's chunks in reading order: text, page, heading path (paged)",
        params: z.object({ kb: z.string().min(1), file: z.string().min(1) }),
        querystring: z.object({
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
    },
    async (req) => {
      const kb = allowed(req, req.params.kb, 'search');
      const page = await fileChunks(deps.kb.registry, deps.kb.store, kb, req.params.file, req.query.offset, req.query.limit);
      return {
        file: page.file,
        total: page.total,
        offset: page.offset,
        chunks: page.chunks.map((c) => ({
          id: c.id,
          ordinal: c.ordinal,
          text: c.text,
          page: c.meta.page ?? null,
          heading: c.meta.heading ?? null,
          sheet: c.meta.sheet ?? null,
          slide: c.meta.slide ?? null,
        })),
      };
    },
  );
}
