import type { Logger } from 'pino';
import type { ButtonCodec } from '../../core/button-codec.js';
import type { EditOptions, MessageSurface, ReplyView, StreamHandle, SurfaceLimits } from '../../core/message-surface.js';
import { markdownToMrkdwn } from './mrkdwn.js';
import type { MessageRef, SlackOutbox } from './outbox.js';
import { slackMessage } from './render.js';
import { SlackStream } from './slack-stream.js';
import type { StreamingChoice } from './streaming-choice.js';

export interface SlackSurfaceSettings {
  updateIntervalMs: number;
  maxMessageChars: number;
  /** Native streaming policy; without it answers stream by chat.update. */
  streaming?: StreamingChoice;
}

type SlackRef = MessageRef & { id: string };

/**
 * Slack as a message surface. Where a message goes follows Slack's habits: command results marked
 * ephemeral, prompts from slash commands, errors outside a conversation and feedback
 * acknowledgements are shown only to the user; a confirm/cancel click's result replaces the prompt.
 */
export class SlackSurface implements MessageSurface {
  readonly limits: SurfaceLimits;
  readonly stream?: MessageSurface['stream'];
  private replacedPrompt = false;

  constructor(
    private readonly outbox: SlackOutbox,
    private readonly codec: ButtonCodec,
    settings: SlackSurfaceSettings,
    logger: Logger,
  ) {
    this.limits = {
      maxChars: settings.maxMessageChars,
      editIntervalMs: settings.updateIntervalMs,
      measure: (markdown) => markdownToMrkdwn(markdown).length,
    };
    const choice = settings.streaming;
    if (choice?.useNative(outbox.target)) {
      this.stream = {
        start: async (): Promise<StreamHandle> => {
          try {
            return new SlackStream(outbox, await outbox.startStream(), (v) => slackMessage(v, codec), logger);
          } catch (err) {
            choice.refused(err);
            throw err;
          }
        },
      };
    }
  }

  async post(view: ReplyView): Promise<SlackRef> {
    const msg = slackMessage(view, this.codec);
    const { origin, action } = this.outbox.target;
    const whole = view.kind === 'message' || view.kind === 'prompt' || view.kind === 'error';
    if (whole && origin === 'action' && action !== 'feedback' && !this.replacedPrompt) {
      this.replacedPrompt = true;
      if (await this.outbox.replaceOriginal(msg))
        return { via: 'response_url', url: this.outbox.target.responseUrl ?? '', id: 'original' };
    }
    if (whole && this.privately(view)) {
      await this.outbox.ephemeral(msg);
      return { via: 'ephemeral', id: 'ephemeral' };
    }
    return withId(await this.outbox.post(msg));
  }

  async edit(ref: SlackRef, view: ReplyView, options: EditOptions): Promise<void> {
    // response_url allows only a handful of uses: such messages get their final content only.
    if (ref.via === 'response_url' && !options.final) return;
    if (ref.via === 'ephemeral') return this.outbox.ephemeral(slackMessage(view, this.codec));
    await this.outbox.update(ref, slackMessage(view, this.codec));
  }

  async remove(ref: SlackRef): Promise<void> {
    await this.outbox.remove(ref);
  }

  private privately(view: ReplyView): boolean {
    const { origin, action } = this.outbox.target;
    if (view.ephemeral || (origin === 'action' && action === 'feedback')) return true;
    if (view.kind === 'prompt') return origin === 'command';
    return view.kind === 'error' && origin !== 'message';
  }
}

function withId(ref: MessageRef): SlackRef {
  return { ...ref, id: ref.via === 'api' ? ref.ts : ref.via === 'response_url' ? ref.url : 'ephemeral' };
}
