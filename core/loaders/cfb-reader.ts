import { createRequire } from 'node:module';
import type CFB from 'cfb';

const requireLazily = createRequire(import.meta.url);

/** The compound-file reader, loaded on first use: only legacy Office files need it, not every process importing the loaders. */
export const cfb = (): typeof CFB => requireLazily('cfb') as typeof CFB;
