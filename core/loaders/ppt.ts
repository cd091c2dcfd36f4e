import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TeamKbError } from '../errors.js';
import type { Loader } from '../loader.js';
import type { LoaderContext } from './context.js';
import { causeLine, fileError, throwIfAborted } from './failures.js';
import { createOfficeLoader } from './office.js';

const CONVERT_TIMEOUT_MS = 180_000;
const OFFICE_BINARIES = ['soffice', 'libreoffice'];

/** PowerPoint 97-2003 (.ppt): converted to .pptx by LibreOffice when it is installed, then read as .pptx. */
export function createPptLoader(context: LoaderContext): Loader {
  const pptx = createOfficeLoader('pptx', context);
  return {
    extensions: ['ppt'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      const office = await findLibreOffice();
      if (!office) {
        throw fileError(
          'FILE_UNSUPPORTED',
          file,
          'PowerPoint 97-2003 (.ppt) files need LibreOffice to be read; install it (apt-get install libreoffice-impress) or save the file as .pptx',
        );
      }
      const dir = await mkdtemp(join(tmpdir(), 'teamkb-ppt-'));
      try {
        const input = join(dir, 'input.ppt');
        await writeFile(input, file.bytes);
        await run(office, dir, ['--headless', '--norestore', '--convert-to', 'pptx', '--outdir', dir, input], signal);
        const converted = await readFile(join(dir, 'input.pptx')).catch(() => undefined);
        if (!converted)
          throw fileError('FILE_CORRUPT', file, 'LibreOffice could not convert the presentation; it may be damaged');
        const doc = await pptx.load({ ...file, extension: 'pptx', bytes: converted }, signal);
        return { ...doc, source: file.name };
      } catch (err) {
        if (err instanceof TeamKbError) throw err;
        throwIfAborted(signal, file);
        throw fileError('FILE_CORRUPT', file, `LibreOffice could not convert the presentation (${causeLine(err)})`, err);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

let libreOffice: Promise<string | undefined> | undefined;

function findLibreOffice(): Promise<string | undefined> {
  libreOffice ??= (async () => {
    for (const binary of OFFICE_BINARIES) {
      const found = await new Promise<boolean>((resolve) => {
        execFile(binary, ['--version'], { timeout: 30_000 }, (err) => resolve(!err));
      });
      if (found) return binary;
    }
    return undefined;
  })();
  return libreOffice;
}

function run(binary: string, workDir: string, args: string[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    // A profile of its own: a running LibreOffice (or a parallel conversion) would otherwise hold the profile lock.
    const profile = `-env:UserInstallation=file://${join(workDir, 'profile')}`;
    execFile(binary, [profile, ...args], { timeout: CONVERT_TIMEOUT_MS, signal }, (err) => (err ? reject(err) : resolve()));
  });
}
