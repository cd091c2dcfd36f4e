import { chatAdapterContract } from '../../contract/chat-adapter.contract.js';
import { fileRef, MemoryAdapter } from '../../helpers/memory-adapter.js';

/** The memory adapter passes the same contract as the platform adapters (against the recording runtime). */
chatAdapterContract('memory', async () => {
  const adapter = new MemoryAdapter();
  const deliver = (p: Promise<unknown>) => {
    p.catch(() => undefined);
  };
  return {
    adapter,
    sendMention: async (o) => deliver(adapter.message(o.text, { channel: o.channel, user: o.user })),
    sendDm: async (o) => deliver(adapter.message(o.text, { channel: `D-${o.user}`, user: o.user, isDm: true, workspace: 'dm' })),
    sendWithFile: async (o) => deliver(adapter.message(o.text, { attachments: [fileRef(o.fileName, o.bytes)] })),
    sendCommand: async (o) => deliver(adapter.command(o.text)),
    clickButton: async (o) => deliver(adapter.click(o.action, o.value)),
    redeliverLast: async () => deliver(adapter.redeliverLast()),
    visible: () => adapter.visible(),
    close: async () => adapter.idle(),
  };
});
