import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TeamKbError } from '../../core/errors.js';
import type { Job } from '../../core/registry.js';
import type { AccessPolicy } from '../access/policy.js';
import type { JobTracker } from '../jobs.js';
import { principalOf } from './auth.js';
import { openSse } from './sse.js';

const jobParams = z.object({ id: z.string() });
const listQuery = z.object({
  kb: z.string().min(1).optional(),
  /** `unfinished`: queued and running jobs only (what `/kb status` shows). */
  status: z.enum(['all', 'unfinished']).default('all'),
});

/** A job as clients see it: which process runs it stays internal. */
const view = ({ owner: _owner, ...job }: Job) => job;

/**
 * Ingest jobs over HTTP. Every ingest is one of these registry jobs, whoever started it: REST
 * uploads and reindexes, chat uploads and file chats, the CLI.
 */
export async function jobRoutes(app: FastifyInstance, jobs: JobTracker, policy: AccessPolicy): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['jobs'];
  /** Jobs of KBs the principal may not see do not exist for them. */
  const visible = (req: FastifyRequest, job: Job | undefined): job is Job =>
    job !== undefined && policy.find(principalOf(req), job.kb) !== undefined;
  const visibleJob = (req: FastifyRequest, id: string): Job => {
    const job = jobs.get(id);
    if (!visible(req, job)) throw new TeamKbError('JOB_NOT_FOUND', `No job "${id}".`);
    return job;
  };

  r.get(
    '/api/jobs',
    { schema: { tags, summary: 'Ingest jobs, newest first (the same jobs /kb status lists)', querystring: listQuery } },
    async (req) => ({
      jobs: jobs
        .list({ kb: req.query.kb, unfinished: req.query.status === 'unfinished' })
        .filter((job) => visible(req, job))
        .map(view),
    }),
  );

  r.get('/api/jobs/:id', { schema: { tags, summary: 'Job status and result', params: jobParams } }, async (req) => {
    return view(visibleJob(req, req.params.id));
  });

  r.post(
    '/api/jobs/:id/cancel',
    { schema: { tags, summary: 'Cancel a job still waiting for a worker (409 once it runs)', params: jobParams } },
    async (req) => {
      const job = visibleJob(req, req.params.id);
      // Whoever may add files to the job's KB may take back an upload not started yet.
      policy.require(principalOf(req), job.kb, 'upload', `cancel jobs of "${job.kb}"`);
      return view(await jobs.cancel(job.id));
    },
  );

  r.get(
    '/api/jobs/:id/events',
    { schema: { tags, summary: 'Job progress as server-sent events', params: jobParams } },
    async (req, reply) => {
      const job = visibleJob(req, req.params.id);
      const sse = openSse(reply);
      if (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') {
        sse.send({ type: 'done', summary: job.result, status: job.status }, 'done');
        return sse.close();
      }
      let unsubscribe: () => void = () => {};
      unsubscribe = jobs.subscribe(job.id, (event) => {
        sse.send(event, event.type);
        if (event.type !== 'progress') {
          queueMicrotask(() => unsubscribe());
          sse.close();
        }
      });
      reply.raw.on('close', () => unsubscribe());
    },
  );
}
