import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reference material for benchmarks and evaluation lives beside the project (../shared/fixtures);
 * TEAMKB_SHARED_FIXTURES points elsewhere. A developer-tool location, not a product setting, so it
 * is not part of the configuration schema.
 */
export const SHARED_FIXTURES =
  process.env.TEAMKB_SHARED_FIXTURES ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');
