import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { TeamKbError } from '../errors.js';
import { ENV_OVERRIDES, SECTION_FILES, type Section } from './env-names.js';
import { configSchema, type TeamKbConfig } from './schema.js';

export interface LoadConfigOptions {
  configDir?: string;
  /** The environment; default process.env plus ./.env. */
  env?: NodeJS.ProcessEnv;
  /** A .env file whose values fill in what `env` does not set; default ./.env when `env` is not given. */
  dotenvPath?: string;
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

/** Where a variable's value came from, for messages: the environment or the .env file. */
interface EnvSource {
  env: NodeJS.ProcessEnv;
  dotenvPath?: string;
  fromDotenv: Set<string>;
}

function origin(section: Section, path: PropertyKey[], dir: string, envUsed: Map<string, string>, source: EnvSource): string {
  const dotted = [section, ...path.map(String)].join('.');
  for (const [name, key] of envUsed) {
    if (!dotted.startsWith(key)) continue;
    return source.fromDotenv.has(name)
      ? `${dotted} (from ${name} in ${source.dotenvPath})`
      : `${dotted} (from environment variable ${name})`;
  }
  return `${dotted} (in ${join(dir, SECTION_FILES[section])})`;
}

/** Loads configs/*.yaml, applies environment overrides, validates once. */
export function loadConfig(options: LoadConfigOptions = {}): TeamKbConfig {
  const dir = options.configDir ?? process.env.TEAMKB_CONFIG_DIR ?? 'configs';
  const source = environment(options);
  const { env } = source;
  const raw: Record<string, Record<string, unknown>> = {};
  for (const [section, file] of Object.entries(SECTION_FILES)) raw[section] = readSection(dir, file);
  const envUsed = new Map<string, string>();
  for (const [name, section, path, parse] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parsed = parse(value);
    if (parsed === undefined) continue;
    setPath(raw[section] as Record<string, unknown>, path, parsed);
    envUsed.set(name, [section, ...path].join('.'));
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new TeamKbError('CONFIG_INVALID', formatIssues(result.error, dir, envUsed, source));
}

/** Values from the .env file fill in what the real environment does not set. */
function environment(options: LoadConfigOptions): EnvSource {
  const base = options.env ?? process.env;
  const dotenvPath = options.dotenvPath ?? (options.env ? undefined : '.env');
  if (!dotenvPath || !existsSync(dotenvPath)) return { env: base, fromDotenv: new Set() };
  let fromFile: Record<string, string>;
  try {
    fromFile = parseDotenv(readFileSync(dotenvPath));
  } catch (err) {
    throw new TeamKbError('CONFIG_INVALID', `${dotenvPath}: could not be read (${(err as Error).message})`);
  }
  const fromDotenv = new Set(Object.keys(fromFile).filter((name) => base[name] === undefined || base[name] === ''));
  const env = { ...base };
  for (const name of fromDotenv) env[name] = fromFile[name];
  return { env, dotenvPath, fromDotenv };
}

function formatIssues(error: z.ZodError, dir: string, envUsed: Map<string, string>, source: EnvSource): string {
  const lines = error.issues.map((issue) => {
    const [section, ...rest] = issue.path;
    const where =
      section && section in SECTION_FILES ? origin(section as Section, rest, dir, envUsed, source) : issue.path.join('.');
    return `${where}: ${issue.message}`;
  });
  return `Invalid configuration:\n  ${lines.join('\n  ')}`;
}
