import type { Script } from '../../../helpers/scripted-runtime.js';

export { type Script, ScriptedRuntime } from '../../../helpers/scripted-runtime.js';

/** Loads every attachment the event carries, so tests can see names and bytes. */
export const fetchAttachments: Script = async (event, reply) => {
  if (event.kind === 'action') return;
  const names: string[] = [];
  for (const file of event.attachments) {
    const bytes = await file.fetch(); // first: an image's name is corrected from the download's type
    names.push(`${file.name} (${bytes.length} bytes)`);
  }
  await reply.write({ type: 'message', markdown: `${event.kind}: ${event.text} | files: ${names.join(', ') || 'none'}` });
};
