export { type RuntimeConfig, runtimeConfigSchema } from './config.js';
export { createBotRuntime, type RuntimeDeps, type TeamKbRuntime } from './create-runtime.js';
