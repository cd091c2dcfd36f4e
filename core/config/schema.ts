import { z } from 'zod';
import { DEFAULT_DENSE_WEIGHT } from '../retrieval/fusion.js';
import { runtimeConfigSchema } from './bot-schema.js';
import { platformsSchema, searchSchema } from './platform-schema.js';

/** Every setting TeamKB reads, one schema. Files: configs/<section>.yaml; env overrides in load.ts. */
export const basicSchema = z
  .object({
    dataDir: z.string().min(1).default('./knowledge_base'),
    /**
     * KB source files (each KB's content and staging folders). Unset: <dataDir>/kbs. Set it to put
     * only the sources on a volume every replica mounts while each keeps its own data folder.
     */
    filesDir: z.string().min(1).optional(),
    /**
     * PostgreSQL for all state (registry, jobs, conversations, bindings, dedupe, feedback, sessions,
     * API keys) instead of the SQLite file in dataDir: what several replicas share.
     */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// address')
      .optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * What this process runs: `all` (one server doing everything), `web` (chat surfaces and APIs;
     * ingests go to the queue) or `worker` (runs queued ingests only). web and worker need PostgreSQL.
     */
    role: z.enum(['all', 'web', 'worker']).default('all'),
    /**
     * Seconds a queued ingest may run before the queue gives it to another worker (the one running
     * it is taken to have died); it is then retried with backoff. PostgreSQL only.
     */
    ingestTimeoutSeconds: z.number().int().min(2).max(86_400).default(3600),
  })
  .strict();

/** Limits every uploaded file is parsed under; each is named in the error a file breaking it gets. */
export const parseLimitsSchema = z
  .object({
    /** Worker threads parsing files at the same time. */
    parseWorkers: z.number().int().min(1).max(64).default(2),
    /** Wall-clock seconds one file may take to parse (OCR waits excluded). */
    parseTimeoutSeconds: z.number().positive().max(86_400).default(60),
    /** Heap each parse worker may use, in MB. */
    parseHeapMb: z.number().int().min(32).max(65_536).default(512),
    /** HTML pages (and HTML e-mails) past these are read as plain text instead of by Readability. */
    htmlMaxElements: z.number().int().min(1).default(50_000),
    htmlMaxDepth: z.number().int().min(1).default(256),
    /** Bytes all compressed streams of one PDF may decompress to. */
    pdfMaxInflatedBytes: z
      .number()
      .int()
      .positive()
      .default(128 * 1024 * 1024),
    /** Entries and total expanded bytes of one zip-based document (docx, xlsx, pptx, odt, ods, odp, epub). */
    archiveMaxEntries: z.number().int().min(1).default(10_000),
    archiveMaxInflatedBytes: z
      .number()
      .int()
      .positive()
      .default(256 * 1024 * 1024),
    jsonMaxDepth: z.number().int().min(1).default(100),
  })
  .strict();

export const kbSchema = z
  .object({
    store: z.enum(['embedded', 'milvus']).default('embedded'),
    milvus: z
      .object({
        address: z.string().default(''),
        token: z.string().optional(),
        username: z.string().optional(),
        password: z.string().optional(),
        database: z.string().optional(),
        ssl: z.boolean().default(false),
      })
      .strict()
      .default({ address: '', ssl: false }),
    chunkSize: z.number().int().min(50).max(8000).default(500),
    chunkOverlap: z.number().int().min(0).max(2000).default(80),
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .default(100 * 1024 * 1024),
    topK: z.number().int().min(1).max(100).default(5),
    /** 0..1, higher is more relevant; hits below are dropped. */
    scoreThreshold: z.number().min(0).max(1).default(0),
    searchMode: z.enum(['hybrid', 'dense', 'bm25']).default('hybrid'),
    fusion: z.enum(['weighted', 'rrf']).default('weighted'),
    /** Weight of the dense score in weighted fusion (bm25 gets 1 - this). */
    denseWeight: z.number().min(0).max(1).default(DEFAULT_DENSE_WEIGHT),
    /** Neighbouring chunks shown with each hit on each side, so the cited passage holds the answer (0: off). */
    neighbourChunks: z.number().int().min(0).max(3).default(1),
    embedBatchSize: z.number().int().min(1).max(512).default(16),
    ocrLanguages: z.string().default('chi_sim+eng'),
    limits: parseLimitsSchema.default(parseLimitsSchema.parse({})),
  })
  .strict()
  .refine((v) => v.chunkOverlap < v.chunkSize, {
    message: 'chunkOverlap must be smaller than chunkSize',
    path: ['chunkOverlap'],
  });

export const modelSchema = z
  .object({
    /** transformers:<id or dir> | llama:<file.gguf> | openai:<model>@<url> | fake[:dim] | none */
    embedder: z.string().default('none'),
    /** Several LLM specs; the first is the default. llama:<file or catalog name> | openai:<model>@<url> | none */
    llms: z.array(z.string()).default(['none']),
    reranker: z.string().optional(),
    threads: z.number().int().min(0).max(256).default(0),
    /** Longest answer the LLM may write, in tokens. */
    maxTokens: z.number().int().min(16).max(32_768).default(1024),
    /** Tokens the LLM reads per request (prompt + answer); prompts are fitted to it. */
    contextSize: z.number().int().min(256).max(1_048_576).default(4096),
    temperature: z.number().min(0).max(2).default(0.3),
    modelsDir: z.string().default('./models'),
    /** always | missing | never: whether start-up may download catalog models. */
    pull: z.enum(['missing', 'never']).default('missing'),
    /** Key for openai: embedders (TEAMKB_EMBEDDER_API_KEY). */
    embedderApiKey: z.string().optional(),
    /** Key for openai: LLMs (TEAMKB_LLM_API_KEY). */
    llmApiKey: z.string().optional(),
    /** auto: local models use a GPU when one works here; off: CPU only (TEAMKB_GPU). */
    gpu: z.enum(['auto', 'off']).default('auto'),
  })
  .strict();

export const promptSchema = z.record(z.string(), z.string());

export const serverSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(7860),
    apiKey: z.string().optional(),
    /** Base URL people reach this server at; citation links in chat point there. Default http://host:port. */
    publicUrl: z.string().url().optional(),
    /** Extra host names this server answers to (Host header check against DNS rebinding). */
    allowedHosts: z.array(z.string()).default([]),
    /** Reverse proxies (IP addresses) whose trustedUserHeader names the signed-in user. */
    trustedProxies: z.array(z.string()).default([]),
    trustedUserHeader: z.string().optional(),
    /** Web sessions end this long after sign-in; their cookie token is replaced every rotate interval. */
    sessionTtlHours: z.number().positive().max(8_760).default(168),
    sessionRotateMinutes: z.number().positive().max(1_440).default(15),
    /** How long a `/kb web` sign-in link works (once). */
    signInLinkMinutes: z.number().positive().max(60).default(10),
  })
  .strict();

/** Agent mode: the bounds of one tool-calling run. */
export const agentSchema = z
  .object({
    maxSteps: z.number().int().min(1).max(50).default(6),
    maxToolCalls: z.number().int().min(0).max(100).default(8),
    timeoutSeconds: z.number().min(1).max(3600).default(120),
    /** Prompt + completion tokens over all model turns of one answer. */
    tokenBudget: z.number().int().min(256).max(1_000_000).default(24_000),
    /** Offer the web-search tool (the engines of the search chat mode). */
    webSearch: z.boolean().default(true),
  })
  .strict();

export const configSchema = z
  .object({
    basic: basicSchema.default(basicSchema.parse({})),
    kb: kbSchema.default(kbSchema.parse({})),
    model: modelSchema.default(modelSchema.parse({})),
    prompts: promptSchema.default({}),
    server: serverSchema.default(serverSchema.parse({})),
    bot: runtimeConfigSchema.default(runtimeConfigSchema.parse({})),
    platforms: platformsSchema.default(platformsSchema.parse({})),
    search: searchSchema.default(searchSchema.parse({})),
    agent: agentSchema.default(agentSchema.parse({})),
  })
  .strict();

export type TeamKbConfig = z.infer<typeof configSchema>;
export type KbConfig = z.infer<typeof kbSchema>;
export type ParseLimitsConfig = z.infer<typeof parseLimitsSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type AgentConfig = z.infer<typeof agentSchema>;
