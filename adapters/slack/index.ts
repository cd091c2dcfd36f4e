export { createSlackAdapter, SlackAdapter } from './adapter.js';
export { markdownToMrkdwn } from './mrkdwn.js';
export {
  DEFAULT_SLACK_API_URL,
  resolveSlackOptions,
  type SlackAdapterInput,
  type SlackAdapterOptions,
} from './options.js';
export { signSlackRequest, verifySlackSignature } from './signature.js';
