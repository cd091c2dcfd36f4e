import type { ButtonView, IncomingAction } from '../../core/chat.js';

/** Discord caps a component's custom_id at 100 characters. */
const MAX_CUSTOM_ID = 100;
const PREFIX = 'tkb';
const ACTIONS = new Set<IncomingAction['action']>(['feedback', 'confirm', 'cancel']);
/** How many over-long values are remembered (they live in memory only, so a restart forgets them). */
const MAX_REMEMBERED = 5000;

export interface DecodedButton {
  action: IncomingAction['action'];
  value: string;
}

/**
 * Encodes a button's action and value into its custom_id as `tkb:<action>:<value>`. Values too long
 * for the 100-character limit are kept in memory and the id carries a short reference instead.
 */
export class CustomIdCodec {
  private readonly remembered = new Map<string, string>();
  private counter = 0;

  encode(button: Pick<ButtonView, 'action' | 'value'>): string {
    const direct = `${PREFIX}:${button.action}:${button.value}`;
    if (direct.length <= MAX_CUSTOM_ID) return direct;
    const ref = `#${(this.counter++).toString(36)}`;
    this.remembered.set(ref, button.value);
    if (this.remembered.size > MAX_REMEMBERED) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    return `${PREFIX}:${button.action}:${ref}`;
  }

  /** The action and value of one of our buttons, or undefined for any other custom_id. */
  decode(customId: string): DecodedButton | undefined {
    const match = /^tkb:([a-z]+):([\s\S]*)$/.exec(customId);
    if (!match) return undefined;
    const action = match[1] as IncomingAction['action'];
    if (!ACTIONS.has(action)) return undefined;
    const raw = match[2] ?? '';
    const value = raw.startsWith('#') ? this.remembered.get(raw) : raw;
    return value === undefined ? undefined : { action, value };
  }
}

/** Feedback buttons carry the answer id and the vote: `<answerId>:up` / `<answerId>:down`. */
export function feedbackButtons(answerId: string): ButtonView[] {
  return [
    { label: '👍', action: 'feedback', value: `${answerId}:up` },
    { label: '👎', action: 'feedback', value: `${answerId}:down` },
  ];
}
