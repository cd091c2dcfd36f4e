import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import {
  type CatalogEntry,
  catalogEntryDir,
  catalogEntryLoadPath,
  isCatalogEntryPresent,
  loadCatalog,
} from '../adapters/models/catalog.js';
import { ensureCatalogModel } from '../adapters/models/catalog-pull.js';
import type { ModelLogger } from '../adapters/models/logger.js';
import { loadConfig } from '../core/config/load.js';
import { describeError, TeamKbError } from '../core/errors.js';

const logger: ModelLogger = {
  info: (m) => console.error(m),
  warn: (m) => console.error(`warning: ${m}`),
};

function modelsDirFrom(option: string | undefined): string {
  return option ?? loadConfig().model.modelsDir;
}

function presence(modelsDir: string, entry: CatalogEntry): string {
  if (isCatalogEntryPresent(modelsDir, entry)) return 'yes';
  const dir = catalogEntryDir(modelsDir, entry);
  const some = entry.files.some((f) => existsSync(join(dir, f.path)) || existsSync(join(dir, `${f.path}.part`)));
  return some ? 'partial' : 'no';
}

function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

function list(options: { modelsDir?: string }): void {
  const modelsDir = modelsDirFrom(options.modelsDir);
  const rows = [['name', 'kind', 'runtime', 'default', 'size', 'present', 'licence']];
  for (const entry of loadCatalog().models) {
    const role = entry.default === 'any' ? 'yes' : (entry.default ?? '');
    rows.push([entry.name, entry.kind, entry.runtime, role, entry.size, presence(modelsDir, entry), entry.licence]);
  }
  printTable(rows);
  console.log(`\nModels folder: ${modelsDir}. Download with: npm run models -- pull <name>`);
}

async function pull(name: string, options: { modelsDir?: string }): Promise<void> {
  const modelsDir = modelsDirFrom(options.modelsDir);
  const catalog = loadCatalog();
  const entry = catalog.models.find((m) => m.name === name);
  if (!entry) {
    throw new TeamKbError(
      'CONFIG_INVALID',
      `No catalog model named "${name}". Known: ${catalog.models.map((m) => m.name).join(', ')}`,
    );
  }
  if (isCatalogEntryPresent(modelsDir, entry))
    logger.info(`${name} is already in ${catalogEntryDir(modelsDir, entry)}; checking it`);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  await ensureCatalogModel(entry, modelsDir, { allowDownload: true, logger, signal: controller.signal });
  console.log(`${name} ready: ${catalogEntryLoadPath(modelsDir, entry)}`);
}

const program = new Command('models').description('List and download the models in models/catalog.yaml').showHelpAfterError();
program
  .command('list')
  .description('show catalog models and whether they are present locally')
  .option('--models-dir <dir>', 'models folder (default: model.modelsDir / TEAMKB_MODELS_DIR)')
  .action(list);
program
  .command('pull')
  .description('download a catalog model (resumable, sha256-checked)')
  .argument('<name>', 'catalog model name')
  .option('--models-dir <dir>', 'models folder (default: model.modelsDir / TEAMKB_MODELS_DIR)')
  .action(pull);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`Error: ${describeError(err)}`);
  process.exitCode = 1;
}
