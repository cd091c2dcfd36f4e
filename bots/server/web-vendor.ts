import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { APP_ROOT } from '../../core/app-root.js';
import { TeamKbError } from '../../core/errors.js';

/**
 * Browser modules made from npm packages, by the path they are served at. Each is bundled by
 * esbuild on its first request and kept in memory: nothing to build by hand, nothing to go stale.
 */
export const VENDOR_MODULES: Record<string, string> = {
  '/vendor/lowlight.js': 'bots/web-vendor/lowlight.js',
};

async function bundle(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      entryPoints: [join(APP_ROOT, entry)],
      absWorkingDir: APP_ROOT,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      logLevel: 'silent',
    });
    return result.outputFiles[0]?.text ?? '';
  } finally {
    // The server has no further use for esbuild's helper process.
    await esbuild.stop();
  }
}

/** Serves the vendor modules (open like the console's own files: they hold no data). */
export function vendorRoutes(app: FastifyInstance): void {
  const built = new Map<string, Promise<string>>();
  for (const [path, entry] of Object.entries(VENDOR_MODULES)) {
    app.get(path, { schema: { hide: true } }, async (_req, reply) => {
      let code = built.get(path);
      if (!code) {
        code = bundle(entry);
        built.set(path, code);
        // A failed build is tried again on the next request.
        code.catch(() => built.delete(path));
      }
      const text = await code.catch((err: Error) => {
        throw new TeamKbError('INTERNAL', `Could not build ${path}: ${err.message}`);
      });
      return reply.type('text/javascript; charset=utf-8').send(text);
    });
  }
}
