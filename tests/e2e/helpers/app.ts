import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Access, createAccess } from '../../../bots/access/index.js';
import { answerServiceFor, type CoreServices, openCore } from '../../../bots/app-services.js';
import { healthOf } from '../../../bots/health.js';
import { runIngestWorker } from '../../../bots/ingest-worker.js';
import { JobTracker } from '../../../bots/jobs.js';
import { createBotRuntime, type RuntimeConfig, runtimeConfigSchema, type TeamKbRuntime } from '../../../bots/runtime/index.js';
import { buildServer } from '../../../bots/server/app.js';
import type { AuthSettings } from '../../../bots/server/auth.js';
import { createAgentFor } from '../../../bots/wiring/agent.js';
import type { HttpRoute } from '../../../core/chat.js';
import { loadConfig } from '../../../core/config/load.js';
import type { TeamKbConfig } from '../../../core/config/schema.js';
import type { AnswerService } from '../../../core/kb-service.js';
import type { Logger } from '../../../core/logger.js';
import type { Principal } from '../../../core/principal.js';
import { testEnv } from '../../helpers/core.js';
import { ROOT } from '../../helpers/shared.js';

export interface TestAppOptions {
  /** TEAMKB_EMBEDDER (default `fake:64`). */
  embedder?: string;
  /** TEAMKB_LLM (default `none`). */
  llm?: string;
  threads?: number;
  apiKey?: string;
  /** Upload limit per file (default: the configured kb.maxFileBytes). */
  maxUploadBytes?: number;
  /** Platform webhook routes to mount, as adapters in HTTP mode return them. */
  adapterRoutes?: HttpRoute[];
  /** Builds the answer service (e.g. around a scripted LLM); default is the one the app wires. */
  answers?: (core: CoreServices) => AnswerService;
  /**
   * Runs the chat runtime behind the web chat's conversation routes, on the app's KB and answer
   * services; `true` uses configs/bot.yaml, an object overrides some of its settings.
   */
  runtime?: boolean | Partial<RuntimeConfig>;
  /** The app's logger (default: the one configured, at the configured level). */
  logger?: Logger;
  /** Extra environment for the configuration (secrets, settings). */
  env?: Record<string, string>;
  /** Public URL, allowed hosts, trusted proxy settings. */
  auth?: Partial<Omit<AuthSettings, 'apiKey'>>;
  /** Adjusts the loaded config before the core opens (e.g. tighter kb.limits). */
  configure?: (config: TeamKbConfig) => void;
  /** Wires agent mode as the app does (tool-capable models from TEAMKB_LLM, no web search). */
  agent?: boolean;
}

export interface TestApp {
  url: string;
  dataDir: string;
  core: CoreServices;
  jobs: JobTracker;
  server: FastifyInstance;
  access: Access;
  /** Present when the options asked for one. */
  runtime?: TeamKbRuntime;
  close(): Promise<void>;
}

/** A fresh data dir and a validated config, as the app would load it from configs/ and the environment. */
export function testConfig(env: Record<string, string>): { config: TeamKbConfig; dataDir: string; cleanup: () => void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-e2e-'));
  const config = loadConfig({
    configDir: join(ROOT, 'configs'),
    env: testEnv(dataDir, { TEAMKB_MODELS_DIR: join(dataDir, 'models'), ...env }),
  });
  return { config, dataDir, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** What /healthz reports for a core: every model or store problem it met while opening. */

/** openCore + buildServer on 127.0.0.1 and a free port, in a temp data dir removed on close. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const env: Record<string, string> = {
    TEAMKB_EMBEDDER: options.embedder ?? 'fake:64',
    TEAMKB_LLM: options.llm ?? 'none',
  };
  if (options.threads) env.TEAMKB_THREADS = String(options.threads);
  const { config, dataDir, cleanup } = testConfig({ ...env, ...options.env });
  options.configure?.(config);
  const core = await openCore(config, { llms: true, logger: options.logger });
  // As the app with TEAMKB_ROLE=all: queued ingests (PostgreSQL) run in this process too.
  if (config.basic.role === 'all') await runIngestWorker(core);
  const jobs = new JobTracker(core.kb);
  const answers = options.answers ? options.answers(core) : answerServiceFor(core);
  const botConfig = runtimeConfigSchema.parse({
    ...config.bot,
    ...(options.runtime === true || !options.runtime ? {} : options.runtime),
  });
  const access = createAccess({ db: core.db, admins: botConfig, listKbs: () => core.kb.listKbs(), settings: config.server });
  const visibleKbs = (p: Principal) => access.policy.usableKbs(p);
  const agent = options.agent ? createAgentFor(core, { visibleKbs }) : undefined;
  const runtime = options.runtime
    ? createBotRuntime({
        agent,
        kb: core.kb,
        answers,
        db: core.db,
        config: botConfig,
        logger: core.logger.child({ component: 'runtime' }),
        access,
        signInUrl: (token) => `${baseUrl}/auth/signin?t=${encodeURIComponent(token)}`,
      })
    : undefined;
  let baseUrl = '';
  const server = await buildServer({
    kb: core.kb,
    answers,
    jobs,
    logger: core.logger,
    apiKey: options.apiKey,
    access,
    auth: { ...config.server, ...options.auth },
    maxUploadBytes: options.maxUploadBytes ?? config.kb.maxFileBytes,
    health: () => healthOf(core),
    adapterRoutes: options.adapterRoutes,
    runtime,
    db: core.db,
    agent: agent ? { service: agent, visibleKbs } : undefined,
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = (options.auth?.publicUrl ?? url).replace(/\/+$/, '');
  return {
    url,
    dataDir,
    core,
    jobs,
    server,
    runtime,
    access,
    async close() {
      await server.close();
      runtime?.close();
      await core.close();
      cleanup();
    },
  };
}
