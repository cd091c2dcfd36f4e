import type { CommandSpec } from '../../../core/chat.js';
import { RecordingRuntime } from '../../helpers/recording-runtime.js';
import { answerOk, ScriptedRuntime as BaseScriptedRuntime } from '../../helpers/scripted-runtime.js';

export type { Script } from '../../helpers/scripted-runtime.js';

/** A scripted runtime with the adapter-test command grammar and a few KB names for autocomplete. */
export class ScriptedRuntime extends BaseScriptedRuntime {
  constructor(specs: CommandSpec[] = new RecordingRuntime().commands()) {
    super(answerOk, { commands: specs, kbNames: ['handbook', 'hr-policies', 'onboarding', '手册'] });
  }
}

/** A promise with its resolver, to hold a scripted runtime until the test lets it go on. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
