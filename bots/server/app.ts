import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SqlDb } from '../../adapters/registry/sql-db.js';
import { APP_ROOT } from '../../core/app-root.js';
import type { BotRuntime, HttpRoute } from '../../core/chat.js';
import type { LocalKbService } from '../../core/kb/service.js';
import type { AnswerService } from '../../core/kb-service.js';
import type { Logger } from '../../core/logger.js';
import { type Principal, principalKey } from '../../core/principal.js';
import type { Access } from '../access/index.js';
import type { JobTracker } from '../jobs.js';
import { ChatHistoryReader } from '../state/chat-history-reader.js';
import { WebConversationStore } from '../state/web-conversation-store.js';
import { httpAgentParts, type ServerAgent } from './agent-route.js';
import { type AuthSettings, installAuth, principalOf } from './auth.js';
import { conversationId, conversationRoutes, recordTurn } from './conversation-routes.js';
import { installErrorHandler } from './errors.js';
import { kbAdminRoutes } from './kb-admin-routes.js';
import { kbRoutes } from './kb-routes.js';
import { mcpRoutes } from './mcp-routes.js';
import { openAiRoutes } from './openai-routes.js';
import { passageRoutes } from './passage-routes.js';
import { runtimeRoutes } from './runtime-routes.js';
import { installSecurityHeaders } from './security-headers.js';
import { OPEN_AUTH_PATHS, signInRoutes } from './signin-routes.js';
import { openSse } from './sse.js';
import { VENDOR_MODULES, vendorRoutes } from './web-vendor.js';

export interface Health {
  status: 'ready' | 'degraded';
  reasons: string[];
}

export interface ServerDeps {
  kb: LocalKbService;
  answers: AnswerService;
  jobs: JobTracker;
  logger: Logger;
  /** Who may do what: principals, sessions, API keys, the policy. */
  access: Access;
  /** TEAMKB_API_KEY: one admin key; while set, requests need a key or a web session. */
  apiKey?: string;
  /** Public URL, allowed hosts, trusted proxy (see AuthSettings). */
  auth?: Partial<Omit<AuthSettings, 'apiKey'>>;
  maxUploadBytes: number;
  health: () => Health;
  /** Webhook routes of platform adapters (raw body in, raw response out). */
  adapterRoutes?: HttpRoute[];
  /** The chat runtime; when given, the web chat talks to it as a platform (files, /kb commands, buttons). */
  runtime?: BotRuntime;
  /** Agent mode (web console "agent", /v1 model agent, MCP); absent: those answer that it is not set up. */
  agent?: ServerAgent;
  /** Shared SQLite file: the web console keeps its conversations and answer votes there. */
  db?: SqlDb;
}

const webDir = join(APP_ROOT, 'bots', 'web');
/** The web console's modules and styles: every .js and .css file in bots/web, served without the API key. */
const WEB_ASSETS = readdirSync(webDir).filter((file) => /^[a-z0-9-]+\.(js|css)$/.test(file));

const chatBody = z.object({
  mode: z.enum(['llm', 'kb', 'search', 'file', 'agent']),
  question: z.string().min(1),
  kbs: z.array(z.string()).optional(),
  history: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).optional(),
  model: z.string().optional(),
  conversation: conversationId.optional().describe('Web console conversation to keep this question and answer in'),
  replaces: z.string().max(200).optional().describe('Answer id this one regenerates (dropped from the conversation)'),
  top_k: z.number().int().min(1).max(50).optional(),
  max_tokens: z.number().int().min(1).optional(),
});

/** The conversation's earlier questions and answers (the answer being regenerated left out). */
function historyOf(store: WebConversationStore, principal: Principal, id: string, replaces?: string) {
  return store
    .turns(principalKey(principal), id)
    .filter((t) => t.answer.answerId !== replaces)
    .slice(-10)
    .flatMap((t) => [
      { role: 'user' as const, content: t.question },
      { role: 'assistant' as const, content: t.answer.markdown },
    ]);
}

/** The one HTTP server: web chat, KB API, OpenAI-compatible API, docs, platform webhooks. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 10 * 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes, files: 50 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'TeamKB API', description: 'Knowledge bases, search and OpenAI-compatible chat.', version: '0.1.0' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const store = deps.db ? new WebConversationStore(deps.db) : undefined;
  const settings: AuthSettings = {
    apiKey: deps.apiKey,
    publicUrl: deps.auth?.publicUrl,
    allowedHosts: deps.auth?.allowedHosts ?? [],
    trustedProxies: deps.auth?.trustedProxies ?? [],
    trustedUserHeader: deps.auth?.trustedUserHeader,
  };
  await installSecurityHeaders(app, { https: (settings.publicUrl ?? '').startsWith('https:') });
  const assets = [...WEB_ASSETS.map((file) => `/${file}`), ...Object.keys(VENDOR_MODULES)];
  const open = new Set(['/healthz', '/', ...OPEN_AUTH_PATHS, ...assets]);
  const webhookPaths = new Set((deps.adapterRoutes ?? []).map((r) => r.path));
  installAuth(app, { access: deps.access, settings, openPaths: open, webhookPaths });
  await signInRoutes(app, { access: deps.access, secure: (settings.publicUrl ?? '').startsWith('https:') });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { summary: 'Health: ready or degraded with reasons' } }, async () => deps.health());

  for (const file of ['index.html', ...WEB_ASSETS]) {
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'text/css';
    app.get(file === 'index.html' ? '/' : `/${file}`, { schema: { hide: true } }, async (_req, reply) =>
      reply.type(`${type}; charset=utf-8`).send(readFileSync(join(webDir, file))),
    );
  }
  vendorRoutes(app);

  app
    .withTypeProvider<ZodTypeProvider>()
    .post(
      '/api/chat',
      { schema: { tags: ['chat'], summary: 'Ask; the answer streams as server-sent events of typed parts', body: chatBody } },
      async (req, reply) => {
        const abort = new AbortController();
        reply.raw.on('close', () => {
          if (!reply.raw.writableFinished) abort.abort();
        });
        const sse = openSse(reply);
        const { mode, question, kbs, model, top_k, max_tokens, conversation, replaces } = req.body;
        const principal = principalOf(req);
        for (const kb of kbs ?? []) deps.access.policy.require(principal, kb, 'search');
        const history =
          req.body.history ?? (conversation && store ? historyOf(store, principal, conversation, replaces) : undefined);
        const answered =
          mode === 'agent'
            ? httpAgentParts(deps.agent, principal, { question, history, kbs, model, signal: abort.signal })
            : deps.answers.answer({
                mode,
                question,
                kbs,
                history,
                model,
                topK: top_k,
                maxTokens: max_tokens,
                signal: abort.signal,
              });
        const parts =
          conversation && store
            ? recordTurn(answered, {
                store,
                principal,
                conversation,
                question,
                replaces,
                settings: { mode, kbs: kbs ?? [], model: model ?? null },
              })
            : answered;
        for await (const part of parts) sse.send(part, part.type);
        sse.close();
      },
    );
  app.get('/api/status', { schema: { tags: ['chat'], summary: 'Models, queue and embedder' } }, async () =>
    deps.answers.status(),
  );

  await kbAdminRoutes(app, { kb: deps.kb, policy: deps.access.policy });
  await kbRoutes(app, { kb: deps.kb, jobs: deps.jobs, maxUploadBytes: deps.maxUploadBytes, policy: deps.access.policy });
  await passageRoutes(app, { kb: deps.kb, policy: deps.access.policy });
  await openAiRoutes(app, { answers: deps.answers, kb: deps.kb, policy: deps.access.policy, agent: deps.agent });
  await mcpRoutes(app, {
    kb: deps.kb,
    answers: deps.answers,
    agent: deps.agent,
    visibleKbs: (p) => deps.access.policy.usableKbs(p),
    logger: deps.logger,
  });
  if (store && deps.db) {
    await conversationRoutes(app, { store, chats: new ChatHistoryReader(deps.db), policy: deps.access.policy });
  }
  if (deps.runtime) {
    await runtimeRoutes(app, {
      store,
      runtime: deps.runtime,
      maxUploadBytes: deps.maxUploadBytes,
      logger: deps.logger,
    });
  }

  if (deps.adapterRoutes?.length) {
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      for (const route of deps.adapterRoutes ?? []) {
        scope.route({
          method: route.method,
          url: route.path,
          schema: { hide: true },
          handler: async (req, reply) => {
            const headers: Record<string, string | undefined> = {};
            for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
            const res = await route.handle({
              method: req.method,
              path: route.path,
              headers,
              rawBody: (req.body as Buffer | undefined) ?? Buffer.alloc(0),
            });
            reply.status(res.status);
            for (const [k, v] of Object.entries(res.headers ?? {})) reply.header(k, v);
            return reply.send(res.body ?? '');
          },
        });
      }
    });
  }
  return app;
}
