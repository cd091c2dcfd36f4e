import type { Logger } from 'pino';
import { exclusively, type SqlDb } from '../../adapters/registry/sql-db.js';
import type { BotRuntime, ChatContext, CommandSpec, IncomingEvent, Reply } from '../../core/chat.js';
import type { AnswerService, KbService } from '../../core/kb-service.js';
import type { MessageSurface } from '../../core/message-surface.js';
import { type Access, createAccess } from '../access/index.js';
import { runCommand } from '../commands/dispatch.js';
import { commandSpecs } from '../commands/grammar.js';
import { ReplyRenderer } from '../reply/reply-renderer.js';
import { BindingStore } from '../state/binding-store.js';
import { ConfirmationStore } from '../state/confirmation-store.js';
import { ConversationStore } from '../state/conversation-store.js';
import { DedupeStore } from '../state/dedupe-store.js';
import { FeedbackStore } from '../state/feedback-store.js';
import { migrateRuntime } from '../state/migrations.js';
import { TempKbStore } from '../state/temp-kb-store.js';
import { handleAction } from './actions.js';
import type { RuntimeConfig } from './config.js';
import { adoptPickedModel } from './conversation-model.js';
import { errorPart } from './error-part.js';
import { visibleKbs } from './kb-access.js';
import { handleMessage } from './message-handler.js';
import { Permissions } from './permissions.js';
import { RateLimiter } from './rate-limiter.js';
import type { Services } from './services.js';
import { purgeExpiredTempKbs } from './temp-kbs.js';

export interface RuntimeDeps {
  kb: KbService;
  answers: AnswerService;
  /** Shared SQLite file; the runtime keeps its tables under migration module "runtime". */
  db: SqlDb;
  config: RuntimeConfig;
  logger: Logger;
  now?: () => number;
  /** Absolute address of this server (TEAMKB_PUBLIC_URL): chat citations link to passages under it. */
  publicUrl?: string;
  /** The access model shared with the HTTP server; built on `db` when absent. */
  access?: Access;
  /** The web console's sign-in address for a one-time token (`/kb web`); absent: no web sign-in. */
  signInUrl?: (token: string) => string;
  agent?: Services['agent'];
}

export type TeamKbRuntime = BotRuntime & {
  /** Stops the purge timer (the database stays open: it belongs to the caller). */
  close(): void;
  /** Deletes expired file-chat KBs, event ids past the dedupe window and stale confirmations. */
  purgeExpired(): Promise<void>;
  /** The runtime's stores and helpers, for diagnostics and tests. */
  readonly services: Services;
};

function buildServices(deps: RuntimeDeps): Services {
  migrateRuntime(deps.db);
  const now = deps.now ?? Date.now;
  const bindings = new BindingStore(deps.db);
  const access = deps.access ?? createAccess({ db: deps.db, admins: deps.config, listKbs: () => deps.kb.listKbs(), now });
  return {
    kb: deps.kb,
    answers: deps.answers,
    config: deps.config,
    logger: deps.logger,
    now,
    dedupe: new DedupeStore(deps.db, deps.config.dedupeWindowMinutes * 60_000),
    conversations: new ConversationStore(deps.db),
    bindings,
    feedback: new FeedbackStore(deps.db),
    tempKbs: new TempKbStore(deps.db),
    confirmations: new ConfirmationStore(deps.db),
    permissions: new Permissions(access.policy),
    access,
    signInUrl: deps.signInUrl,
    rateLimiter: new RateLimiter(deps.db, deps.config.rateLimitPerMinute, now),
    agent: deps.agent,
  };
}

function route(svc: Services, event: IncomingEvent, reply: Reply): Promise<void> {
  if (event.kind === 'action') return handleAction(svc, event, reply);
  adoptPickedModel(svc, event);
  if (event.kind === 'command') return runCommand(svc, event, event.text, reply);
  return handleMessage(svc, event, reply);
}

/** The platform-neutral bot: every adapter hands its events here and renders the parts it gets back. */
export function createBotRuntime(deps: RuntimeDeps): TeamKbRuntime {
  const svc = buildServices(deps);
  const log = deps.logger;

  async function purgeExpired(): Promise<void> {
    // One replica at a time expires the shared temporary KBs; the others skip this round.
    const temp = (await exclusively(deps.db, 'teamkb:purge-temp-kbs', () => purgeExpiredTempKbs(svc))) ?? 0;
    svc.rateLimiter.purge();
    const events = svc.dedupe.purge(svc.now());
    const confirmations = svc.confirmations.purge(svc.now());
    svc.access.sessions.purge();
    svc.access.links.purge();
    if (temp || confirmations) log.info({ temp, events, confirmations }, 'purged expired runtime state');
  }

  const intervalMs = deps.config.purgeIntervalMinutes * 60_000;
  const timer =
    intervalMs > 0
      ? setInterval(() => purgeExpired().catch((err: unknown) => log.warn({ err }, 'purge failed')), intervalMs)
      : undefined;
  timer?.unref();

  /** Events claimed through accept(), so handle() does not take them for their own redelivery. */
  const accepted = new WeakSet<IncomingEvent>();
  function accept(event: IncomingEvent): boolean {
    if (!svc.dedupe.firstDelivery(event.platform, event.eventId, svc.now())) return false;
    accepted.add(event);
    return true;
  }

  async function handle(event: IncomingEvent, reply: Reply): Promise<void> {
    // A redelivery writes nothing at all, exactly like the first delivery was never repeated.
    const claimed = accepted.delete(event) || svc.dedupe.firstDelivery(event.platform, event.eventId, svc.now());
    if (!claimed) {
      log.debug({ platform: event.platform, eventId: event.eventId }, 'redelivered event dropped');
      return;
    }
    const facts = {
      platform: event.platform,
      eventId: event.eventId,
      kind: event.kind,
      channel: event.channel,
      user: event.user,
    };
    try {
      await route(svc, event, reply);
    } catch (err) {
      await reply.write(errorPart(err, log, facts)).catch((e: unknown) => log.error({ ...facts, err: e }, 'error not shown'));
    } finally {
      await reply.end().catch((err: unknown) => log.error({ ...facts, err }, 'reply did not end cleanly'));
    }
  }

  return {
    handle,
    replyOn: (surface: MessageSurface) => new ReplyRenderer(surface, { logger: log, links: { publicUrl: deps.publicUrl } }),
    accept,
    commands: (): CommandSpec[] => commandSpecs(),
    kbNames: (ctx: Pick<ChatContext, 'platform' | 'workspace' | 'channel'> & Partial<ChatContext>) =>
      visibleKbs(svc, ctx).map((kb) => kb.name),
    close: () => clearInterval(timer),
    purgeExpired,
    services: svc,
  };
}
