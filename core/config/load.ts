import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { TeamKbError } from '../errors.js';
import { configSchema, type TeamKbConfig } from './schema.js';

/** configs/<file>.yaml → config section. */
const SECTION_FILES = {
  basic: 'basic.yaml',
  kb: 'kb.yaml',
  model: 'model.yaml',
  prompts: 'prompts.yaml',
  server: 'server.yaml',
  bot: 'bot.yaml',
  agent: 'agent.yaml',
} as const;

type Section = keyof typeof SECTION_FILES;

/** Environment variable → [section, key path, parser]. */
const ENV_OVERRIDES: Array<[string, Section, string[], (v: string) => unknown]> = [
  ['TEAMKB_DATA_DIR', 'basic', ['dataDir'], String],
  ['TEAMKB_LOG_LEVEL', 'basic', ['logLevel'], String],
  ['TEAMKB_STORE', 'kb', ['store'], String],
  ['TEAMKB_MAX_FILE_BYTES', 'kb', ['maxFileBytes'], Number],
  ['MILVUS_ADDRESS', 'kb', ['milvus', 'address'], String],
  ['MILVUS_TOKEN', 'kb', ['milvus', 'token'], String],
  ['MILVUS_USER', 'kb', ['milvus', 'username'], String],
  ['MILVUS_PASSWORD', 'kb', ['milvus', 'password'], String],
  ['MILVUS_DATABASE', 'kb', ['milvus', 'database'], String],
  ['MILVUS_SSL', 'kb', ['milvus', 'ssl'], (v) => v === 'true' || v === '1'],
  ['TEAMKB_EMBEDDER', 'model', ['embedder'], String],
  ['TEAMKB_LLM', 'model', ['llms'], (v) => v.split(',').map((s) => s.trim())],
  ['TEAMKB_RERANKER', 'model', ['reranker'], String],
  ['TEAMKB_THREADS', 'model', ['threads'], Number],
  ['TEAMKB_MODELS_DIR', 'model', ['modelsDir'], String],
  ['TEAMKB_PULL', 'model', ['pull'], String],
  ['TEAMKB_HOST', 'server', ['host'], String],
  ['TEAMKB_PORT', 'server', ['port'], Number],
  ['TEAMKB_API_KEY', 'server', ['apiKey'], String],
  ['TEAMKB_PUBLIC_URL', 'server', ['publicUrl'], String],
];

export interface LoadConfigOptions {
  configDir?: string;
  env?: NodeJS.ProcessEnv;
}

function readSection(dir: string, file: string): Record<string, unknown> {
  const path = join(dir, file);
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new TeamKbError('CONFIG_INVALID', `${path}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TeamKbError('CONFIG_INVALID', `${path}: expected a mapping of keys to values`);
  }
  return parsed as Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function origin(section: Section, path: PropertyKey[], dir: string, envUsed: Map<string, string>): string {
  const dotted = [section, ...path.map(String)].join('.');
  for (const [name, key] of envUsed) if (dotted.startsWith(key)) return `${dotted} (from environment variable ${name})`;
  return `${dotted} (in ${join(dir, SECTION_FILES[section])})`;
}

/** Loads configs/*.yaml, applies environment overrides, validates once. */
export function loadConfig(options: LoadConfigOptions = {}): TeamKbConfig {
  const dir = options.configDir ?? process.env.TEAMKB_CONFIG_DIR ?? 'configs';
  const env = options.env ?? withDotenv(process.env);
  const raw: Record<string, Record<string, unknown>> = {};
  for (const [section, file] of Object.entries(SECTION_FILES)) raw[section] = readSection(dir, file);
  const envUsed = new Map<string, string>();
  for (const [name, section, path, parse] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw[section] as Record<string, unknown>, path, parse(value));
    envUsed.set(name, [section, ...path].join('.'));
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new TeamKbError('CONFIG_INVALID', formatIssues(result.error, dir, envUsed));
}

/** Values from ./.env fill in what the real environment does not set. */
function withDotenv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!existsSync('.env')) return env;
  return { ...parseDotenv(readFileSync('.env')), ...env };
}

function formatIssues(error: z.ZodError, dir: string, envUsed: Map<string, string>): string {
  const lines = error.issues.map((issue) => {
    const [section, ...rest] = issue.path;
    const where = section && section in SECTION_FILES ? origin(section as Section, rest, dir, envUsed) : issue.path.join('.');
    return `${where}: ${issue.message}`;
  });
  return `Invalid configuration:\n  ${lines.join('\n  ')}`;
}
