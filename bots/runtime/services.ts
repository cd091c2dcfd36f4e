import type { Logger } from 'pino';
import type { AgentService } from '../../core/agent/service.js';
import type { AnswerService, KbService } from '../../core/kb-service.js';
import type { Principal } from '../../core/principal.js';
import type { Access } from '../access/index.js';
import type { BindingStore } from '../state/binding-store.js';
import type { ConfirmationStore } from '../state/confirmation-store.js';
import type { ConversationStore } from '../state/conversation-store.js';
import type { DedupeStore } from '../state/dedupe-store.js';
import type { FeedbackStore } from '../state/feedback-store.js';
import type { TempKbStore } from '../state/temp-kb-store.js';
import type { RuntimeConfig } from './config.js';
import type { Permissions } from './permissions.js';
import type { RateLimiter } from './rate-limiter.js';

/** Everything a handler may use; built once by createBotRuntime. */
export interface Services {
  kb: KbService;
  answers: AnswerService;
  config: RuntimeConfig;
  logger: Logger;
  now: () => number;
  dedupe: DedupeStore;
  conversations: ConversationStore;
  bindings: BindingStore;
  feedback: FeedbackStore;
  tempKbs: TempKbStore;
  confirmations: ConfirmationStore;
  permissions: Permissions;
  rateLimiter: RateLimiter;
  access: Access;
  /** The web console's sign-in address for a one-time token; absent when there is no web console. */
  signInUrl?: (token: string) => string;
  /** Agent mode; absent when the process runs without it. */
  agent?: AgentService<Principal>;
}
