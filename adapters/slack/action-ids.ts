import type { IncomingAction } from '../../core/chat.js';

/** Every button the bot posts has an action_id with this prefix, so one listener takes them all. */
export const ACTION_PREFIX = 'teamkb_';
export const FEEDBACK_UP = 'teamkb_feedback_up';
export const FEEDBACK_DOWN = 'teamkb_feedback_down';

export type Vote = 'up' | 'down';

/** The value of a feedback button: the stored answer's id and the vote, `<answerId>:<up|down>`. */
export function feedbackValue(answerId: string, vote: Vote): string {
  return `${answerId}:${vote}`;
}

/** action_id for a prompt button; an index keeps ids unique inside one actions block. */
export function buttonActionId(action: IncomingAction['action'], index: number): string {
  return index === 0 ? `${ACTION_PREFIX}${action}` : `${ACTION_PREFIX}${action}_${index}`;
}

export function actionFromId(actionId: string): IncomingAction['action'] | undefined {
  if (actionId === FEEDBACK_UP || actionId === FEEDBACK_DOWN) return 'feedback';
  const m = /^teamkb_(confirm|cancel|feedback)(?:_\d+)?$/.exec(actionId);
  return m ? (m[1] as IncomingAction['action']) : undefined;
}
