/** Which environment variable (from the real environment or ./.env) sets which config key. */

export const SECTION_FILES = {
  basic: 'basic.yaml',
  kb: 'kb.yaml',
  model: 'model.yaml',
  prompts: 'prompts.yaml',
  server: 'server.yaml',
  bot: 'bot.yaml',
  agent: 'agent.yaml',
  platforms: 'platforms.yaml',
  search: 'search.yaml',
} as const;

export type Section = keyof typeof SECTION_FILES;

/** A parser returning undefined leaves the key alone (the variable does not apply). */
export type EnvOverride = [name: string, section: Section, path: string[], parse: (value: string) => unknown];

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
/** Non-numbers stay strings so validation names the variable instead of silently dropping it. */
const num = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
const scaled = (factor: number) => (v: string) => {
  const n = num(v);
  return typeof n === 'number' ? n * factor : n;
};
/** Surrounding blanks dropped; a blank value counts as unset. */
const trimmed = (v: string) => v.trim() || undefined;
const bool = (v: string) => v === 'true' || v === '1';
const gpu = (v: string) => (['off', 'false', '0', 'cpu'].includes(v.trim().toLowerCase()) ? 'off' : 'auto');

export const ENV_OVERRIDES: EnvOverride[] = [
  ['TEAMKB_DATA_DIR', 'basic', ['dataDir'], String],
  ['TEAMKB_FILES_DIR', 'basic', ['filesDir'], trimmed],
  ['TEAMKB_DATABASE_URL', 'basic', ['databaseUrl'], trimmed],
  ['TEAMKB_LOG_LEVEL', 'basic', ['logLevel'], String],
  ['TEAMKB_ROLE', 'basic', ['role'], trimmed],
  ['TEAMKB_INGEST_TIMEOUT', 'basic', ['ingestTimeoutSeconds'], num],
  ['TEAMKB_STORE', 'kb', ['store'], String],
  ['TEAMKB_MAX_FILE_BYTES', 'kb', ['maxFileBytes'], num],
  ['MILVUS_ADDRESS', 'kb', ['milvus', 'address'], String],
  ['MILVUS_TOKEN', 'kb', ['milvus', 'token'], String],
  ['MILVUS_USER', 'kb', ['milvus', 'username'], String],
  ['MILVUS_PASSWORD', 'kb', ['milvus', 'password'], String],
  ['MILVUS_DATABASE', 'kb', ['milvus', 'database'], String],
  ['MILVUS_SSL', 'kb', ['milvus', 'ssl'], bool],
  ['TEAMKB_EMBEDDER', 'model', ['embedder'], String],
  ['TEAMKB_EMBEDDER_API_KEY', 'model', ['embedderApiKey'], String],
  ['TEAMKB_LLM', 'model', ['llms'], list],
  ['TEAMKB_LLM_API_KEY', 'model', ['llmApiKey'], String],
  ['TEAMKB_RERANKER', 'model', ['reranker'], String],
  ['TEAMKB_THREADS', 'model', ['threads'], num],
  ['TEAMKB_CONTEXT_SIZE', 'model', ['contextSize'], num],
  ['TEAMKB_MODELS_DIR', 'model', ['modelsDir'], String],
  ['TEAMKB_PULL', 'model', ['pull'], String],
  // CUDA's own switch turns the GPU off too; TEAMKB_GPU comes later and wins.
  ['CUDA_VISIBLE_DEVICES', 'model', ['gpu'], (v) => (v.trim() === '-1' ? 'off' : undefined)],
  ['TEAMKB_GPU', 'model', ['gpu'], gpu],
  ['TEAMKB_HOST', 'server', ['host'], String],
  ['TEAMKB_PORT', 'server', ['port'], num],
  ['TEAMKB_API_KEY', 'server', ['apiKey'], String],
  ['TEAMKB_PUBLIC_URL', 'server', ['publicUrl'], String],
  ['TEAMKB_ALLOWED_HOSTS', 'server', ['allowedHosts'], list],
  ['TEAMKB_TRUSTED_PROXIES', 'server', ['trustedProxies'], list],
  ['TEAMKB_TRUSTED_USER_HEADER', 'server', ['trustedUserHeader'], String],

  ['SLACK_BOT_TOKEN', 'platforms', ['slack', 'botToken'], String],
  ['SLACK_APP_TOKEN', 'platforms', ['slack', 'appToken'], String],
  ['SLACK_SIGNING_SECRET', 'platforms', ['slack', 'signingSecret'], String],
  ['SLACK_MODE', 'platforms', ['slack', 'mode'], String],
  ['SLACK_API_URL', 'platforms', ['slack', 'apiUrl'], String],
  ['SLACK_EVENTS_PATH', 'platforms', ['slack', 'eventsPath'], String],
  ['SLACK_COMMAND', 'platforms', ['slack', 'commandName'], String],
  ['SLACK_STREAMING', 'platforms', ['slack', 'streaming'], String],
  ['SLACK_UPDATE_INTERVAL_MS', 'platforms', ['slack', 'updateIntervalMs'], num],
  ['SLACK_MAX_MESSAGE_CHARS', 'platforms', ['slack', 'maxMessageChars'], num],
  ['SLACK_MAX_FILE_BYTES', 'platforms', ['slack', 'maxFileBytes'], num],

  ['DISCORD_TOKEN', 'platforms', ['discord', 'token'], String],
  ['DISCORD_APPLICATION_ID', 'platforms', ['discord', 'applicationId'], String],
  ['DISCORD_API_URL', 'platforms', ['discord', 'apiUrl'], String],
  ['DISCORD_EDIT_INTERVAL_MS', 'platforms', ['discord', 'editIntervalMs'], num],
  ['DISCORD_MAX_FILE_BYTES', 'platforms', ['discord', 'maxFileBytes'], num],
  ['DISCORD_REGISTER_COMMANDS', 'platforms', ['discord', 'registerCommands'], String],

  ['FEISHU_APP_ID', 'platforms', ['feishu', 'appId'], String],
  ['FEISHU_APP_SECRET', 'platforms', ['feishu', 'appSecret'], String],
  ['FEISHU_MODE', 'platforms', ['feishu', 'mode'], trimmed],
  ['FEISHU_DOMAIN', 'platforms', ['feishu', 'domain'], trimmed],
  ['FEISHU_ENCRYPT_KEY', 'platforms', ['feishu', 'encryptKey'], String],
  ['FEISHU_VERIFICATION_TOKEN', 'platforms', ['feishu', 'verificationToken'], String],
  ['FEISHU_EVENTS_PATH', 'platforms', ['feishu', 'eventsPath'], trimmed],
  ['FEISHU_MAX_FILE_MB', 'platforms', ['feishu', 'maxFileBytes'], scaled(1024 * 1024)],
  ['FEISHU_UPDATE_INTERVAL_MS', 'platforms', ['feishu', 'updateIntervalMs'], num],
  ['FEISHU_STREAMING', 'platforms', ['feishu', 'streaming'], trimmed],
  ['FEISHU_REPLY_IN_THREAD', 'platforms', ['feishu', 'replyInThread'], trimmed],
  ['FEISHU_UPLOAD_WINDOW_MIN', 'platforms', ['feishu', 'uploadWindowMs'], scaled(60_000)],

  ['SEARXNG_URL', 'search', ['searxngUrl'], trimmed],
  ['BING_API_KEY', 'search', ['bingKey'], trimmed],
  ['BRAVE_API_KEY', 'search', ['braveKey'], trimmed],
  ['TAVILY_API_KEY', 'search', ['tavilyKey'], trimmed],
  ['TEAMKB_SEARCH_ENGINE', 'search', ['order'], list],
];
