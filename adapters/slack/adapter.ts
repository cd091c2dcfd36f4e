import { App, type Receiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { BotRuntime, ChatAdapter, HttpRoute } from '../../core/chat.js';
import { describeError, TeamKbError } from '../../core/errors.js';
import { SlackDispatcher } from './dispatcher.js';
import { slackFileRefs } from './files.js';
import { SlackHttpReceiver } from './http-receiver.js';
import type { SlackIdentity } from './incoming-events.js';
import { registerSlackListeners } from './listeners.js';
import { resolveSlackOptions, type SlackAdapterInput, type SlackAdapterOptions } from './options.js';
import { sdkLogger } from './sdk-logger.js';
import { slackUrlResolver } from './slack-urls.js';
import { StreamingChoice } from './streaming-choice.js';

const DRAIN_ON_STOP_MS = 5000;

/** The Slack platform adapter: Bolt in Socket Mode (default) or behind our HTTP server. */
export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack';
  private readonly httpReceiver: SlackHttpReceiver | undefined;
  private app: App | undefined;
  private dispatcher: SlackDispatcher | undefined;
  private me: SlackIdentity | undefined;

  constructor(
    readonly options: SlackAdapterOptions,
    private readonly logger: Logger,
  ) {
    if (options.mode === 'http') {
      this.httpReceiver = new SlackHttpReceiver(
        {
          signingSecret: options.signingSecret ?? '',
          path: options.eventsPath,
          toleranceSeconds: options.signatureToleranceSeconds,
          now: options.now,
        },
        logger,
      );
    }
  }

  /** The bot's identity from auth.test, once started. */
  get identity(): SlackIdentity | undefined {
    return this.me;
  }

  httpRoutes(): HttpRoute[] {
    return this.httpReceiver ? [this.httpReceiver.route()] : [];
  }

  async start(runtime: BotRuntime): Promise<void> {
    if (this.app) return;
    const { options, logger } = this;
    const slackLogger = sdkLogger(logger);
    const clientOptions = () => ({
      slackApiUrl: options.apiUrl,
      ...(options.retryPolicy ? { retryConfig: { ...options.retryPolicy } } : {}),
    });
    const me = await whoAmI(new webApi.WebClient(options.botToken, { ...clientOptions(), logger: slackLogger }));
    const receiver: Receiver =
      this.httpReceiver ??
      new SocketModeReceiver({
        appToken: options.appToken ?? '',
        logger: slackLogger,
        installerOptions: { clientOptions: clientOptions() },
      });
    const app = new App({
      token: options.botToken,
      botId: me.botId,
      botUserId: me.botUserId,
      receiver,
      logger: slackLogger,
      clientOptions: clientOptions(),
      convoStore: false,
      tokenVerificationEnabled: false,
    });
    const resolveUrl = slackUrlResolver(options.apiUrl);
    const settings = {
      updateIntervalMs: options.updateIntervalMs,
      maxMessageChars: options.maxMessageChars,
      streaming: new StreamingChoice(options.streaming, logger),
    };
    const dispatcher = new SlackDispatcher(app.client, runtime, settings, resolveUrl, logger);
    registerSlackListeners(app, {
      identity: me,
      commandName: options.commandName,
      dispatcher,
      logger,
      files: (files) =>
        slackFileRefs(files, {
          botToken: options.botToken,
          maxBytes: options.maxFileBytes,
          resolveUrl,
          fileInfo: async (id) => (await app.client.files.info({ file: id })).file,
        }),
    });
    await app.start();
    this.app = app;
    this.dispatcher = dispatcher;
    this.me = me;
    logger.info({ mode: options.mode, botUserId: me.botUserId, team: me.teamId }, 'slack: adapter started');
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    await app?.stop();
    await this.dispatcher?.drain(DRAIN_ON_STOP_MS);
  }
}

export function createSlackAdapter(input: SlackAdapterInput, logger: Logger): SlackAdapter {
  return new SlackAdapter(resolveSlackOptions(input), logger);
}

async function whoAmI(client: webApi.WebClient): Promise<SlackIdentity> {
  try {
    const res = await client.auth.test();
    if (!res.user_id) throw new Error('auth.test returned no user_id');
    return { botUserId: res.user_id, botId: res.bot_id, teamId: res.team_id };
  } catch (err) {
    throw new TeamKbError('CONFIG_INVALID', `Slack rejected SLACK_BOT_TOKEN (auth.test): ${describeError(err)}`, { cause: err });
  }
}
