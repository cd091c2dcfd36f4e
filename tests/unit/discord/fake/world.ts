import { nextSnowflake } from './snowflake.js';

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface FakeChannel {
  id: string;
  /** 0 guild text, 1 DM, 11 public thread. */
  type: 0 | 1 | 11;
  name: string;
  guildId?: string;
  parentId?: string;
  ownerId?: string;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  content: string;
  components: unknown[];
  author: FakeUser;
  via: 'channel' | 'webhook';
  flags: number;
  /** Creates plus edits, for throttling checks. */
  updates: number;
  deleted: boolean;
  referenceId?: string;
  interactionId?: string;
  /** performance.now() when the bot created it. */
  createdAt?: number;
}

export interface FakeInteraction {
  id: string;
  token: string;
  channelId: string;
  guildId?: string;
  /** The deferred reply, or for a button click the message that carries the button. */
  originalId?: string;
  callbacks: { type: number; data?: unknown }[];
}

/** Everything the fake platform knows: channels, messages, interactions, registered commands. */
export class FakeWorld {
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly commands = new Map<string, unknown[]>();
  /** Role ids per guild, sent with GUILD_CREATE (discord.js resolves member roles from them). */
  readonly roles = new Map<string, string[]>();
  /** The bot's managed role, present in every guild. */
  readonly botRoleId = nextSnowflake();
  private readonly names = new Map<string, string>();

  constructor(readonly bot: FakeUser) {}

  /** A stable snowflake for a readable test name such as "C1". */
  idFor(name: string): string {
    let id = this.names.get(name);
    if (!id) {
      id = /^\d{15,20}$/.test(name) ? name : nextSnowflake();
      this.names.set(name, id);
    }
    return id;
  }

  interactionByToken(token: string): FakeInteraction | undefined {
    for (const i of this.interactions.values()) if (i.token === token) return i;
    return undefined;
  }

  addMessage(m: Omit<FakeMessage, 'id' | 'updates' | 'deleted'> & { id?: string }): FakeMessage {
    const message: FakeMessage = { ...m, id: m.id ?? nextSnowflake(), updates: 1, deleted: false, createdAt: performance.now() };
    this.messages.set(message.id, message);
    return message;
  }

  /** Messages the bot posted, oldest first. */
  botMessages(): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.author.id === this.bot.id && !m.deleted);
  }
}
