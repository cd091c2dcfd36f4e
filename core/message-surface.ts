/** What a button click asks the runtime to do. */
export type ButtonAction = 'feedback' | 'confirm' | 'cancel';

/** A button as the runtime emits it; each platform maps it onto its own widget. */
export interface ButtonView {
  label: string;
  action: ButtonAction;
  value: string;
  style?: 'primary' | 'danger';
}

/**
 * One message as the reply renderer wants it shown, before any platform syntax. `markdown` is
 * already cut to fit the surface's limits; the platform converts it (mrkdwn, Discord markdown,
 * card markdown) and maps `footer` and `buttons` onto its own widgets.
 */
export interface ReplyView {
  kind: 'placeholder' | 'status' | 'answer' | 'error' | 'message' | 'prompt' | 'progress';
  markdown: string;
  /** Small print under the message (what an answer drew on). */
  footer?: string;
  buttons?: ButtonView[];
  /** Only the asking user should see it, where the platform can do that. */
  ephemeral?: boolean;
}

/** A message a surface posted, as that surface identifies it (opaque to the renderer). */
export type MessageRef = { readonly id: string };

export interface EditOptions {
  /**
   * False for intermediate states (streamed text, progress): a surface may skip or send them
   * best-effort. A final edit must land or throw, so the renderer can post the content anew.
   */
  final: boolean;
}

/** A native streamed message (Slack chat.startStream, Feishu CardKit) that text is appended to. */
export interface StreamHandle {
  readonly ref: MessageRef;
  /** Adds text to the end of what the message shows. */
  append(text: string): Promise<void>;
  /** Ends the stream with `view` shown in the message; throws when it cannot (the renderer then edits `ref`). */
  stop(view: ReplyView): Promise<void>;
}

export interface SurfaceLimits {
  /** Longest message, in the unit of `measure`. */
  maxChars: number;
  /** Size of markdown once the platform converted it; characters when absent. */
  measure?: (markdown: string) => number;
  /** Shortest time between two edits of one message. */
  editIntervalMs: number;
}

/**
 * Where the replies to one incoming event go: implemented once per platform as pure translation
 * from `ReplyView` to the platform's message format and calls.
 */
export interface MessageSurface {
  readonly limits: SurfaceLimits;
  post(view: ReplyView): Promise<MessageRef>;
  edit(ref: MessageRef, view: ReplyView, options: EditOptions): Promise<void>;
  remove(ref: MessageRef): Promise<void>;
  /** Native streaming for answers; absent where the platform (or this conversation) has none. */
  stream?: {
    /** Opens a stream, inside `into` (a message this surface posted) when it can. Rejects when refused. */
    start(into?: MessageRef): Promise<StreamHandle>;
  };
  /** No more messages follow (a platform may clean up, e.g. a deferred reply never used). */
  close?(): Promise<void>;
}
