import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import { TeamKbError } from '../../core/errors.js';
import { CARD_ACTION, type CallbackResponse, MESSAGE_RECEIVED } from './dispatcher.js';
import { envelopeFromSdk } from './envelope.js';
import { sdkLogger } from './sdk-bridge.js';
import type { FeishuEnvelope } from './types.js';

export interface LongConnectionDeps {
  appId: string;
  appSecret: string;
  /** Resolved base URL; the SDK asks `${domain}/callback/ws/endpoint` where to connect. */
  domain: string;
  logger: Logger;
  accept: (envelope: FeishuEnvelope) => CallbackResponse;
}

/** The SDK's WSClient only starts for app ids of this shape (it logs and returns otherwise). */
export function assertLongConnectionAppId(appId: string): void {
  if (!/^cli_[0-9a-fA-F]{16}$/.test(appId)) {
    throw new TeamKbError('CONFIG_INVALID', `FEISHU_APP_ID "${appId}" is not a Feishu app id (cli_ followed by 16 hex digits).`);
  }
}

/**
 * Long-connection mode: the SDK's WSClient receives events (protobuf frames) and acknowledges
 * each after its handler returns; our handlers only hand the event to the dispatcher.
 */
export class LongConnection {
  private client: lark.WSClient | undefined;

  constructor(private readonly deps: LongConnectionDeps) {}

  async start(): Promise<void> {
    const { appId, appSecret, domain, logger, accept } = this.deps;
    assertLongConnectionAppId(appId);
    const handle = (eventType: string) => async (data: unknown) => {
      const envelope = envelopeFromSdk(data, eventType);
      if (!envelope) {
        logger.warn({ eventType }, 'feishu: long-connection event without an event id ignored');
        return undefined;
      }
      return accept(envelope);
    };
    const sdkLog = sdkLogger(logger);
    const dispatcher = new lark.EventDispatcher({ logger: sdkLog, loggerLevel: lark.LoggerLevel.info }).register({
      [MESSAGE_RECEIVED]: handle(MESSAGE_RECEIVED),
      [CARD_ACTION]: handle(CARD_ACTION),
    } as Record<string, (data: unknown) => Promise<unknown>>);
    this.client = new lark.WSClient({
      appId,
      appSecret,
      domain,
      logger: sdkLog,
      loggerLevel: lark.LoggerLevel.info,
      autoReconnect: true,
      onError: (err) => logger.error({ err: err.message }, 'feishu: long connection gave up'),
      onReconnected: () => logger.info('feishu: long connection re-established'),
    });
    await this.client.start({ eventDispatcher: dispatcher });
  }

  stop(): void {
    this.client?.close({ force: true });
    this.client = undefined;
  }
}
