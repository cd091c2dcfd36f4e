export { createFeishuAdapter, FeishuAdapter } from './adapter.js';
export { computeSignature, decryptPayload, verifySignature } from './crypto.js';
export {
  type FeishuMode,
  type FeishuOptions,
  type FeishuOptionsInput,
  type ReplyInThread,
  resolveDomain,
  type StreamingStrategy,
} from './options.js';
