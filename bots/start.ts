import type { TeamKbConfig } from '../core/config/schema.js';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Principal } from '../core/principal.js';
import { createAccess } from './access/index.js';
import { answerServiceFor, citationLinkFor, openCore } from './app-services.js';
import { healthOf } from './health.js';
import { runIngestWorker, startWorker } from './ingest-worker.js';
import { JobTracker } from './jobs.js';
import { createBotRuntime } from './runtime/index.js';
import { type SampleSeeding, seedSampleKb } from './sample-seeding.js';
import { buildServer } from './server/app.js';
import { SIGNIN_PATH } from './server/signin-routes.js';
import { createAgentFor } from './wiring/agent.js';
import { createPlatformAdapters } from './wiring/platforms.js';
import { checkRole, claimEmbeddedStoreWriter, writesVectors } from './wiring/replica-guard.js';
import { createWebSearch } from './wiring/search.js';
import { StoreHold } from './wiring/store.js';

export interface RunningApp {
  url: string;
  logger: Logger;
  /** Platforms connected at start-up, and why others are not. */
  platforms: string[];
  problems: string[];
  /** Web search engines in the order they are tried. */
  searchEngines: string[];
  stop: () => Promise<void>;
}

/** Starts what TEAMKB_ROLE asks for; `all` (the default) is everything: HTTP server (web chat, APIs, webhooks), chat runtime and configured platforms. */
export async function startApp(config: TeamKbConfig): Promise<RunningApp> {
  checkRole(config);
  if (config.basic.role === 'worker') return startWorker(config);
  const storeHold = new StoreHold();
  const core = await openCore(config, { llms: true, storeHold });
  try {
    if (writesVectors(config)) claimEmbeddedStoreWriter(core.db, core.store.id);
    // One server doing everything runs queued ingests too; web replicas leave them to workers.
    if (config.basic.role === 'all') await runIngestWorker(core);
  } catch (err) {
    await core.close();
    throw err;
  }
  const { logger } = core;
  const web = createWebSearch(config.search, core.embedder, logger);
  const answers = answerServiceFor(core, web);
  const jobs = new JobTracker(core.kb);
  const access = createAccess({
    db: core.db,
    admins: config.bot,
    listKbs: () => core.kb.listKbs(),
    settings: config.server,
  });
  let baseUrl = (config.server.publicUrl ?? '').replace(/\/+$/, '');
  // What the agent may search for whom: the access policy, as on every other surface.
  const visibleKbs = (p: Principal) => access.policy.usableKbs(p);
  const agent = createAgentFor(core, { visibleKbs, web, link: citationLinkFor(config) });
  const runtime = createBotRuntime({
    agent,
    kb: core.kb,
    answers,
    db: core.db,
    config: config.bot,
    logger: logger.child({ component: 'runtime' }),
    publicUrl: config.server.publicUrl,
    access,
    signInUrl: (token) => `${baseUrl}${SIGNIN_PATH}?t=${encodeURIComponent(token)}`,
  });
  const platforms = await createPlatformAdapters(config.platforms, logger);

  const health = () => healthOf(core, platforms.problems);
  const server = await buildServer({
    kb: core.kb,
    answers,
    jobs,
    logger,
    apiKey: config.server.apiKey,
    access,
    auth: config.server,
    maxUploadBytes: config.kb.maxFileBytes,
    health,
    adapterRoutes: platforms.adapters.flatMap((a) => a.httpRoutes?.() ?? []),
    runtime,
    db: core.db,
    agent: { service: agent, visibleKbs },
  });
  await server.listen({ host: config.server.host, port: config.server.port });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host}:${port}`;
  baseUrl ||= url;

  const started: string[] = [];
  for (const adapter of platforms.adapters) {
    try {
      await adapter.start(runtime);
      started.push(adapter.platform);
    } catch (err) {
      const problem = `${adapter.platform}: could not connect (${describeError(err)})`;
      platforms.problems.push(problem);
      logger.error(problem);
    }
  }

  let seeding: SampleSeeding | undefined;
  if (core.registry.listKbs().length === 0) seeding = await seedSampleKb(core, jobs, storeHold);

  const searchEngines = web.engines.map((e) => e.id);
  printBanner(url, core, started, platforms.problems, searchEngines);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const adapter of platforms.adapters) await adapter.stop().catch(() => undefined);
    runtime.close();
    await server.close();
    await seeding?.stop();
    await core.close();
  };
  return { stop, url, logger, platforms: started, problems: platforms.problems, searchEngines };
}

function printBanner(
  url: string,
  core: Awaited<ReturnType<typeof openCore>>,
  platforms: string[],
  problems: string[],
  searchEngines: string[],
): void {
  const kbs = core.registry.listKbs().map((k) => k.name);
  const lines = [
    '',
    'TeamKB is running',
    `  Web chat and API   ${url}   (API docs: ${url}/docs)`,
    `  Knowledge bases    ${kbs.length > 0 ? kbs.join(', ') : 'none yet (the sample KB is being added)'}`,
    `  LLM                ${
      core.llms.length > 0
        ? core.llms.map((m) => m.name).join(', ')
        : 'none: answers quote the best passages. Add one with TEAMKB_LLM=llama:<file.gguf> or `npm run models -- pull <name>`'
    }`,
    `  Embedder           ${core.embedder ? core.embedder.id : 'none: keyword search only. Set TEAMKB_EMBEDDER, then `npm run kb -- reindex <kb> --recreate`'}`,
    ...(core.reranker ? [`  Reranker           ${core.reranker.id}`] : []),
    `  Store              ${core.store.id} in ${core.dataDir}`,
    `  KB source files    ${core.filesDir}`,
    `  Web search         ${searchEngines.join(' → ')}`,
    `  Platforms          ${platforms.length > 0 ? platforms.join(', ') : 'none connected (set SLACK_BOT_TOKEN, DISCORD_TOKEN or FEISHU_APP_ID; see README)'}`,
    ...[
      ...(core.embedderProblem ? [core.embedderProblem] : []),
      ...(core.rerankerProblem ? [core.rerankerProblem] : []),
      ...core.llmProblems,
      ...problems,
    ].map((p) => `  ! ${p}`),
    '',
  ];
  console.log(lines.join('\n'));
}
