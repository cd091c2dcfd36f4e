import type { ButtonAction, ButtonView } from './message-surface.js';

const PREFIX = 'tkb';
const ACTIONS = new Set<ButtonAction>(['feedback', 'confirm', 'cancel']);
/** How many over-long values are remembered (in memory only, so a restart forgets them). */
const MAX_REMEMBERED = 5000;

export interface DecodedButton {
  action: ButtonAction;
  value: string;
}

/**
 * The one encoding of the bot's buttons on every platform: `tkb:<action>:<value>`, carried in a
 * Slack button value, a Discord custom_id or a Feishu callback value. A platform with a short
 * field (Discord: 100 characters) passes `maxLength`; longer values are remembered here and the
 * token carries a short reference.
 */
export class ButtonCodec {
  private readonly remembered = new Map<string, string>();
  private counter = 0;

  constructor(private readonly maxLength = Number.POSITIVE_INFINITY) {}

  encode(button: Pick<ButtonView, 'action' | 'value'>): string {
    const direct = `${PREFIX}:${button.action}:${button.value}`;
    if (direct.length <= this.maxLength && !button.value.startsWith('#')) return direct;
    const ref = `#${(this.counter++).toString(36)}`;
    this.remembered.set(ref, button.value);
    if (this.remembered.size > MAX_REMEMBERED) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    return `${PREFIX}:${button.action}:${ref}`;
  }

  /** The action and value of one of our buttons; undefined for anything else (other apps, forgotten references). */
  decode(token: string): DecodedButton | undefined {
    const match = /^tkb:([a-z]+):([\s\S]*)$/.exec(token);
    if (!match) return undefined;
    const action = match[1] as ButtonAction;
    if (!ACTIONS.has(action)) return undefined;
    const raw = match[2] ?? '';
    const value = raw.startsWith('#') ? this.remembered.get(raw) : raw;
    return value === undefined ? undefined : { action, value };
  }
}

/** Feedback buttons carry the stored answer's id and the vote: `<answerId>:up` / `<answerId>:down`. */
export function feedbackButtons(answerId: string): ButtonView[] {
  return [
    { label: '👍 Helpful', action: 'feedback', value: `${answerId}:up` },
    { label: '👎 Not helpful', action: 'feedback', value: `${answerId}:down` },
  ];
}
