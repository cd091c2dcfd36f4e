import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { TeamKbError } from '../../core/errors.js';
import { type CatalogEntry, findCatalogEntry, loadCatalog } from './catalog.js';
import type { ModelLogger } from './logger.js';

export interface LocateOptions {
  modelsDir: string;
  allowDownload?: boolean;
  logger?: ModelLogger;
  catalogPath?: string;
}

/** The files TeamKB loads from a Transformers.js model folder (dtype q8 → model_quantized.onnx). */
export const TRANSFORMERS_REQUIRED_FILES = ['config.json', 'tokenizer.json', 'onnx/model_quantized.onnx'];

const HF_ID = /^[\w.-]+\/[\w.-]+$/;

export function catalogEntryFor(name: string, options: LocateOptions): CatalogEntry | undefined {
  return findCatalogEntry(loadCatalog(options.catalogPath), name);
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Short, machine-independent model name: the last path segment without a .gguf suffix. */
export function modelName(target: string): string {
  return basename(target.replace(/[\\/]+$/, '')).replace(/\.gguf$/i, '');
}

/** A Transformers.js model: an absolute folder path, or a Hugging Face id when downloads are allowed. */
export async function locateTransformersModel(target: string, options: LocateOptions, what = 'Embedding model'): Promise<string> {
  const entry = catalogEntryFor(target, options);
  if (entry?.runtime === 'transformers') return ensureCatalogModel(entry, options);
  const candidates = [resolve(target), resolve(options.modelsDir, target)];
  const dir = candidates.find(isDir);
  if (dir) {
    const missing = TRANSFORMERS_REQUIRED_FILES.filter((f) => !existsSync(join(dir, f)));
    if (missing.length > 0) {
      throw new TeamKbError(
        'MODEL_NOT_FOUND',
        `${what} folder ${dir} lacks ${missing.join(', ')} (TeamKB loads the int8 ONNX export, onnx/model_quantized.onnx)`,
      );
    }
    return dir;
  }
  if (options.allowDownload && HF_ID.test(target)) return target;
  const hint = HF_ID.test(target) ? ` from https://huggingface.co/${target}` : '';
  throw new TeamKbError(
    'MODEL_NOT_FOUND',
    `${what} "${target}" not found (looked in ${candidates.join(' and ')}). Put its Transformers.js files (${TRANSFORMERS_REQUIRED_FILES.join(', ')})${hint} into ${candidates[1]}, or use a catalog model (npm run models -- list)`,
  );
}

/** A GGUF file: a catalog name (downloaded when allowed), a path, or a path inside modelsDir. */
export async function locateGgufModel(target: string, options: LocateOptions, wanted: CatalogEntry['kind']): Promise<string> {
  const entry = catalogEntryFor(target, options);
  if (entry) {
    if (entry.runtime !== 'llama' || entry.kind !== wanted) {
      throw new TeamKbError(
        'CONFIG_INVALID',
        `Catalog model "${target}" is a ${entry.runtime} ${entry.kind}, not a GGUF ${wanted}`,
      );
    }
    return ensureCatalogModel(entry, options);
  }
  const candidates = [resolve(target), resolve(options.modelsDir, target)];
  const file = candidates.find((p) => existsSync(p) && statSync(p).isFile());
  if (file) return file;
  throw new TeamKbError(
    'MODEL_NOT_FOUND',
    `GGUF model "${target}" not found (looked at ${candidates.join(' and ')}). Put the .gguf file there, or use a catalog name (npm run models -- list)`,
  );
}

/** The downloader and its progress bars load only when a catalog model is asked for, not on every start. */
async function ensureCatalogModel(entry: CatalogEntry, options: LocateOptions): Promise<string> {
  return (await import('./catalog-pull.js')).ensureCatalogModel(entry, options.modelsDir, options);
}
