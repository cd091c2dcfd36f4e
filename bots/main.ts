import { loadConfig } from '../core/config/load.js';
import type { TeamKbConfig } from '../core/config/schema.js';
import { describeError } from '../core/errors.js';

/** `npm start`: read the configuration, start everything, stop cleanly on SIGINT/SIGTERM. Nothing imports this file. */
let config: TeamKbConfig;
try {
  config = loadConfig();
} catch (err) {
  console.error(describeError(err));
  process.exit(1);
}

try {
  // Loaded after the configuration is read, so a bad setting is reported before the model runtimes load.
  const { startApp } = await import('./start.js');
  const app = await startApp(config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.logger.info(`${signal}: shutting down`);
      void app.stop().finally(() => process.exit(0));
    });
  }
} catch (err) {
  console.error(describeError(err));
  process.exit(1);
}
