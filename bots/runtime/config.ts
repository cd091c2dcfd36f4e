export { defaultKbSchema, type RuntimeConfig, runtimeConfigSchema } from '../../core/config/bot-schema.js';
