import { createHash, randomUUID } from 'node:crypto';
import { isTeamKbError } from '../../core/errors.js';
import { TEMP_KB_PREFIX } from '../commands/kb-name.js';
import type { ConversationKey } from '../state/conversation-store.js';
import type { Services } from './services.js';

/** Unique per creation, so a conversation's next temp KB never collides with one still being purged. */
export function tempKbName(key: ConversationKey): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([key, randomUUID()]))
    .digest('hex');
  return `${TEMP_KB_PREFIX}${hash.slice(0, 12)}`;
}

/** Deletes a temp KB and forgets it; a failure is logged and retried at the next purge. */
export async function dropTempKb(svc: Services, kb: string): Promise<boolean> {
  try {
    await svc.kb.deleteKb(kb);
  } catch (err) {
    if (!isTeamKbError(err, 'KB_NOT_FOUND')) {
      svc.logger.warn({ err, kb }, 'temporary knowledge base not deleted; will retry');
      return false;
    }
  }
  svc.tempKbs.remove(kb);
  return true;
}

/** Deletes the oldest temp KBs so that one more fits under `maxTempKbs`. */
export async function makeRoomForTempKb(svc: Services): Promise<void> {
  const all = svc.tempKbs.all();
  const excess = all.length - svc.config.maxTempKbs + 1;
  for (const kb of all.slice(0, Math.max(0, excess))) await dropTempKb(svc, kb);
}

export async function purgeExpiredTempKbs(svc: Services): Promise<number> {
  let dropped = 0;
  for (const kb of svc.tempKbs.expired(svc.now())) if (await dropTempKb(svc, kb)) dropped++;
  return dropped;
}
