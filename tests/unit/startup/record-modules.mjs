// Preloaded with `node --import` by the lazy-loading test: appends every module a process loads
// (ESM resolutions and CommonJS requires) to the file named by TEAMKB_RECORD_MODULES.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.TEAMKB_RECORD_MODULES;
if (out) {
  register(new URL('./record-modules-hooks.mjs', import.meta.url));
  const load = Module._load;
  Module._load = function recordRequire(request, parent, ...rest) {
    try {
      appendFileSync(out, `${Module._resolveFilename(request, parent)}\n`);
    } catch {
      // built-ins and unresolvable requests: the real loader reports those
    }
    return load.call(this, request, parent, ...rest);
  };
}
