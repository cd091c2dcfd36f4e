import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultCatalogEntry, isCatalogEntryPresent, loadCatalog } from '../../adapters/models/catalog.js';
import { createEmbedder } from '../../adapters/models/create-embedder.js';
import { createLlm } from '../../adapters/models/create-llm.js';
import { createReranker } from '../../adapters/models/create-reranker.js';
import type { TeamKbConfig } from '../../core/config/schema.js';
import type { Embedder } from '../../core/embedder.js';
import { describeError, isTeamKbError } from '../../core/errors.js';
import type { Llm } from '../../core/llm.js';
import type { Logger } from '../../core/logger.js';
import type { Reranker } from '../../core/reranker.js';

export interface LoadedModels {
  embedder: Embedder | null;
  embedderProblem?: string;
  llms: Array<{ name: string; llm: Llm }>;
  llmProblems: string[];
  reranker: Reranker | null;
  rerankerProblem?: string;
}

/** A readable name for a model spec: the file or model name without the runtime prefix. */
export function modelLabel(spec: string): string {
  const body = spec.includes(':') ? spec.slice(spec.indexOf(':') + 1) : spec;
  const model = body.split('@')[0] ?? body;
  return (model.split('/').pop() ?? model).replace(/\.gguf$/i, '') || spec;
}

/**
 * `auto` means the catalog default: used when present, downloaded when pulling is allowed
 * (TEAMKB_PULL=missing), else nothing (keyword search, extractive answers) with the reason.
 */
function resolveAuto(
  spec: string,
  kind: 'embedder' | 'llm-cpu' | 'llm-gpu',
  modelsDir: string,
  pull: 'missing' | 'never',
): { spec: string; note?: string } {
  if (spec !== 'auto') return { spec };
  const entry = defaultCatalogEntry(loadCatalog(), kind);
  if (!entry) return { spec: 'none' };
  if (isCatalogEntryPresent(modelsDir, entry) || pull === 'missing') return { spec: entry.name };
  return {
    spec: 'none',
    note: `${entry.name} is not downloaded (TEAMKB_PULL=never); fetch it with: npm run models -- pull ${entry.name}`,
  };
}

/** A GPU the GGUF runtime can use: an NVIDIA device node, or Apple silicon (Metal). */
const hasGpu = (gpu: 'auto' | 'off'): boolean => {
  if (gpu === 'off') return false;
  if (process.platform === 'darwin' && process.arch === 'arm64') return true;
  return existsSync('/dev/nvidia0') || existsSync('/dev/dxg');
};

/** A setting that is wrong (not a model that failed to load) stops start-up, naming the key. */
function stopOnConfigError(err: unknown): void {
  if (isTeamKbError(err, 'CONFIG_INVALID')) throw err;
}

/**
 * Loads the configured embedder, reranker and LLMs. A model that cannot load never stops the process:
 * it is reported (banner, /healthz) and the bot runs without it (keyword search, extractive answers).
 * A setting that names no valid model is a configuration error and stops start-up instead.
 */
export async function createModels(config: TeamKbConfig, logger: Logger, opts: { llms: boolean }): Promise<LoadedModels> {
  const modelsDir = resolve(config.model.modelsDir);
  const common = {
    modelsDir,
    threads: config.model.threads || undefined,
    allowDownload: config.model.pull !== 'never',
    logger: logger.child({ component: 'models' }),
    gpu: config.model.gpu === 'off' ? (false as const) : ('auto' as const),
  };
  const out: LoadedModels = { embedder: null, llms: [], llmProblems: [], reranker: null };
  const embedderSpec = resolveAuto(config.model.embedder, 'embedder', modelsDir, config.model.pull);
  if (embedderSpec.note) out.embedderProblem = embedderSpec.note;
  try {
    out.embedder = await createEmbedder(embedderSpec.spec, { ...common, apiKey: config.model.embedderApiKey });
  } catch (err) {
    stopOnConfigError(err);
    out.embedderProblem = `embedder ${embedderSpec.spec}: ${describeError(err)}`;
    logger.warn(out.embedderProblem);
  }
  try {
    out.reranker = await createReranker(config.model.reranker, common);
  } catch (err) {
    stopOnConfigError(err);
    out.rerankerProblem = `reranker ${config.model.reranker}: ${describeError(err)}; search results keep their retrieval order`;
    logger.warn(out.rerankerProblem);
  }
  if (!opts.llms) return out;
  for (const configured of config.model.llms) {
    const { spec, note } = resolveAuto(
      configured,
      hasGpu(config.model.gpu) ? 'llm-gpu' : 'llm-cpu',
      modelsDir,
      config.model.pull,
    );
    if (note) out.llmProblems.push(note);
    try {
      const llm = await createLlm(spec, { ...common, apiKey: config.model.llmApiKey, contextSize: config.model.contextSize });
      if (llm) out.llms.push({ name: modelLabel(spec), llm });
    } catch (err) {
      stopOnConfigError(err);
      const problem = `LLM ${spec}: ${describeError(err)}`;
      out.llmProblems.push(problem);
      logger.warn(problem);
    }
  }
  return out;
}
