import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import type { BotRuntime, ChatAdapter, HttpRoute } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import { FeishuApi } from './api.js';
import { FeishuDispatcher } from './dispatcher.js';
import { assertLongConnectionAppId, LongConnection } from './long-connection.js';
import { PLATFORM } from './message-event.js';
import { type FeishuOptions, type FeishuOptionsInput, resolveDomain, withDefaults } from './options.js';
import { sdkLogger, tokenCache } from './sdk-bridge.js';
import { webhookRoutes } from './webhook.js';

/**
 * Feishu / Lark: events by long connection (default) or HTTP callbacks, both into one
 * dispatcher; answers as interactive cards streamed in place.
 */
export class FeishuAdapter implements ChatAdapter {
  readonly platform = PLATFORM;
  readonly options: FeishuOptions;
  private readonly dispatcher: FeishuDispatcher;
  private readonly domain: string;
  private connection: LongConnection | undefined;

  constructor(
    options: FeishuOptionsInput,
    private readonly logger: Logger,
  ) {
    this.options = withDefaults(options);
    this.domain = resolveDomain(this.options.domain);
    if (this.options.mode === 'ws') assertLongConnectionAppId(this.options.appId);
    const client = new lark.Client({
      appId: this.options.appId,
      appSecret: this.options.appSecret,
      domain: this.domain,
      logger: sdkLogger(logger),
      loggerLevel: lark.LoggerLevel.info,
      cache: tokenCache(),
    });
    const api = new FeishuApi(client, {
      budgetMs: this.options.rateLimitBudgetMs,
      onRetry: (err, delayMs, attempt) => logger.warn({ err: err.message, delayMs, attempt }, 'feishu: rate limited, retrying'),
    });
    this.dispatcher = new FeishuDispatcher(api, this.options, logger);
    if (this.options.mode === 'http' && !this.options.encryptKey && !this.options.verificationToken) {
      throw new TeamKbError(
        'CONFIG_INVALID',
        'FEISHU_MODE=http needs FEISHU_ENCRYPT_KEY or FEISHU_VERIFICATION_TOKEN (Events and Callbacks → Encryption Strategy).',
      );
    }
  }

  async start(runtime: BotRuntime): Promise<void> {
    this.dispatcher.attach(runtime);
    const botId = await this.dispatcher.botOpenId();
    this.logger.info({ mode: this.options.mode, domain: this.domain, bot: botId ?? 'unknown' }, 'feishu: adapter starting');
    if (this.options.mode === 'ws') {
      this.connection = new LongConnection({
        appId: this.options.appId,
        appSecret: this.options.appSecret,
        domain: this.domain,
        logger: this.logger,
        accept: (envelope) => this.dispatcher.accept(envelope),
      });
      await this.connection.start();
    }
  }

  async stop(): Promise<void> {
    this.connection?.stop();
    this.connection = undefined;
    await this.dispatcher.stop();
  }

  /** POST {eventsPath} (default /feishu/events) for events and card callbacks, in HTTP mode. */
  httpRoutes(): HttpRoute[] {
    if (this.options.mode !== 'http') return [];
    return webhookRoutes({
      path: this.options.eventsPath,
      encryptKey: this.options.encryptKey,
      verificationToken: this.options.verificationToken,
      logger: this.logger,
      ready: () => this.dispatcher.ready,
      accept: (envelope) => this.dispatcher.accept(envelope),
    });
  }

  /** Resolves once every event accepted so far has been fully handled (tests, benchmarks, shutdown). */
  idle(): Promise<void> {
    return this.dispatcher.idle();
  }
}

export function createFeishuAdapter(options: FeishuOptionsInput, logger: Logger): FeishuAdapter {
  return new FeishuAdapter(options, logger);
}
