import type { AnswerPart } from './answer.js';
import type { ButtonAction, ButtonView, MessageSurface } from './message-surface.js';

export type { ButtonView } from './message-surface.js';

import type { Principal } from './principal.js';

/** Who said what, where. A conversation is (platform, workspace, channel, thread). */
export interface ChatContext {
  platform: string;
  /** Slack team, Discord guild, Feishu tenant; "dm" where the platform has none. */
  workspace: string;
  channel: string;
  /** Thread root id; undefined for a message that is not in a thread. */
  thread?: string;
  /** The platform id of the message itself (replies thread under it). */
  messageId?: string;
  user: string;
  userName?: string;
  isDm: boolean;
  /** Platform event id, used to drop redeliveries. */
  eventId: string;
  /** Channel or group roles/ids the user has, when the platform tells (for admin roles). */
  roles?: string[];
  /**
   * Who the event acts as when that is not simply this platform user: the web console sets the
   * signed-in user, API key or local browser here. Absent: the platform user in this channel.
   */
  principal?: Principal;
  /** A model the client picked for this conversation with the message (the web chat's model picker). */
  model?: string;
}

/** An attachment; bytes are fetched lazily (with the adapter's auth and size limit). */
export interface FileRef {
  name: string;
  size?: number;
  mimeType?: string;
  fetch(signal?: AbortSignal): Promise<Buffer>;
}

export interface IncomingMessage extends ChatContext {
  kind: 'message';
  /** Text with the bot mention stripped. */
  text: string;
  attachments: FileRef[];
}

export interface IncomingCommand extends ChatContext {
  kind: 'command';
  /** Everything after "/kb", e.g. `ask handbook "how do I ..."`. */
  text: string;
  attachments: FileRef[];
}

export interface IncomingAction extends ChatContext {
  kind: 'action';
  action: ButtonAction;
  /** Opaque value the runtime put on the button (answer id + vote, confirmation id). */
  value: string;
}

export type IncomingEvent = IncomingMessage | IncomingCommand | IncomingAction;

export interface JobProgressView {
  jobId: string;
  kb: string;
  filesDone: number;
  filesTotal: number;
  chunks: number;
  failed: number;
  currentFile?: string;
  /** Set once the job ended: a markdown summary (ingested / unchanged / failed with reasons). */
  summary?: string;
}

/**
 * What the runtime sends back. Answer parts stream in order; other parts are whole messages.
 * `message`: a complete markdown reply (command results, help). `ephemeral` asks the platform to
 * show it only to the user when it can. `progress`: a job's progress; adapters update one message
 * in place. `buttons`: a prompt with buttons (confirm a deletion).
 */
export type ReplyPart =
  | AnswerPart
  | { type: 'message'; markdown: string; ephemeral?: boolean }
  | { type: 'progress'; progress: JobProgressView }
  | { type: 'buttons'; markdown: string; buttons: ButtonView[] };

/** The adapter's sink for one incoming event. It renders, throttles and splits for its platform. */
export interface Reply {
  write(part: ReplyPart): Promise<void>;
  /** No more parts follow for this event. */
  end(): Promise<void>;
}

/** A reply drawn onto a platform's message surface by the runtime's one reply renderer. */
export interface SurfaceReply extends Reply {
  /** Posts a "Thinking…" placeholder now; the reply's first message takes its place. */
  openPlaceholder(): Promise<void>;
}

/** One option of a `/kb` subcommand (used for help text and native command registration). */
export interface CommandOption {
  name: string;
  description: string;
  kind: 'kb' | 'text' | 'file' | 'flag';
  required: boolean;
}

export interface CommandSpec {
  name: string;
  usage: string;
  description: string;
  options: CommandOption[];
  adminOnly: boolean;
}

export interface BotRuntime {
  /**
   * Handles one event. Adapters acknowledge the platform first and never await this before
   * acking. Redelivered events (same platform + eventId) write nothing.
   */
  handle(event: IncomingEvent, reply: Reply): Promise<void>;
  /** The reply for one event, rendered onto a platform surface (placeholder, streaming, splitting, footer, buttons). */
  replyOn(surface: MessageSurface): SurfaceReply;
  /**
   * Claims an event before the adapter shows anything for it (a placeholder): false for a
   * redelivery, which must then show nothing. `handle` does not drop an event claimed here.
   */
  accept?(event: IncomingEvent): boolean;
  /** The `/kb` grammar, for help and native command registration. */
  commands(): CommandSpec[];
  /** KB names visible from a context (autocomplete). */
  kbNames(ctx: Pick<ChatContext, 'platform' | 'workspace' | 'channel'>): string[];
}

/** A raw HTTP request/response pair so adapters can mount webhook routes on the main server. */
export interface RawHttpRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

export interface RawHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(req: RawHttpRequest): Promise<RawHttpResponse>;
}

export interface ChatAdapter {
  readonly platform: string;
  start(runtime: BotRuntime): Promise<void>;
  stop(): Promise<void>;
  /** Webhook routes to mount on the main HTTP server (HTTP modes). */
  httpRoutes?(): HttpRoute[];
}
