import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const onOff = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => ['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'].includes(value), {
    message: 'expects on or off (also true/false, 1/0, yes/no)',
  })
  .transform((value) => ['on', 'true', '1', 'yes'].includes(value));

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/.+/.test(value) && URL.canParse(value), {
    message: 'expects a postgres:// or postgresql:// URL, such as postgres://user@127.0.0.1:5432/cairn',
  });

const redisUrl = z
  .string()
  .trim()
  .refine((value) => /^rediss?:\/\/.+/.test(value) && URL.canParse(value), {
    message: 'expects a redis:// or rediss:// URL, such as redis://127.0.0.1:6379',
  })
  // The path is the database number (redis://host:6379/2); anything else was read as database 0 or crashed at the first command.
  .refine((value) => !URL.canParse(value) || /^\/?(?:\d{1,5})?$/.test(new URL(value).pathname), {
    message: 'expects a database number as its path, if any (redis://127.0.0.1:6379/2)',
  });

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/.+/.test(value) && URL.canParse(value), {
    message: 'expects an http:// or https:// URL, such as http://127.0.0.1:11434/v1',
  });

const port = z
  .string()
  .trim()
  .refine((value) => /^\d+$/.test(value) && Number(value) <= 65535, { message: 'expects a whole number from 0 to 65535' })
  .transform(Number);

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'expects one of fatal, error, warn, info, debug, trace, silent',
});

/** A whole number in [minimum, maximum], from an environment string. */
const wholeNumber = (minimum: number, maximum: number, unit: string) =>
  z
    .string()
    .trim()
    .refine((value) => /^\d+$/.test(value) && Number(value) >= minimum && Number(value) <= maximum, {
      message: `expects ${unit} from ${minimum} to ${maximum}`,
    })
    .transform(Number);

const answerMode = z.enum(['auto', 'llm', 'extractive'], { message: 'expects auto, llm or extractive' });

const retrievalMode = z.enum(['hybrid', 'dense', 'keyword'], { message: 'expects hybrid, dense or keyword' });

const rerankMode = z.enum(['features', 'llm', 'off'], { message: 'expects features, llm or off' });

const passageContextMode = z.enum(['off', 'llm'], { message: 'expects off or llm' });

/** The environment Cairn reads; every variable is optional and has a documented default. */
const environmentSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  CAIRN_DATA_DIR: z.string().trim().min(1, 'expects a directory path').default('./.cairn'),
  REDIS_URL: redisUrl.optional(),
  OPENAI_API_KEY: z.string().trim().min(1, 'expects a non-empty key').optional(),
  OPENAI_BASE_URL: httpUrl.optional(),
  CHAT_MODEL: z.string().trim().min(1, 'expects a model name').default('gpt-4o-mini'),
  CHAT_TIMEOUT_MS: wholeNumber(1000, 600_000, 'milliseconds').default(60_000),
  CHAT_MAX_TOKENS: wholeNumber(16, 32_000, 'tokens').default(1024),
  CHAT_CONTEXT_TOKENS: wholeNumber(2048, 2_000_000, 'tokens').default(16_000),
  CHAT_MAX_CONCURRENCY: wholeNumber(1, 256, 'requests').default(4),
  CHAT_MAX_QUEUED: wholeNumber(0, 10_000, 'requests').default(16),
  CHAT_MAX_RETRIES: wholeNumber(0, 10, 'retries').default(2),
  CAIRN_ANSWER_MODE: answerMode.default('auto'),
  CAIRN_PERSONA_PATH: z.string().trim().min(1, 'expects a file path').optional(),
  EMBEDDING_MODEL: z.string().trim().min(1, 'expects a model name').optional(),
  HOST: z.string().trim().min(1, 'expects a host name or address').default('127.0.0.1'),
  PORT: port.default(3000),
  CAIRN_ADMIN_KEY: z.string().trim().min(16, 'expects a key of at least 16 characters').optional(),
  CORS_ORIGINS: z
    .string()
    .trim()
    .refine((value) => value.split(',').every((origin) => /^https?:\/\/[^/\s]+$/.test(origin.trim())), {
      message: 'expects a comma-separated list of origins such as https://tools.example.com',
    })
    .optional(),
  RATE_LIMIT_MAX: wholeNumber(1, 1_000_000, 'requests per minute').default(600),
  RATE_LIMIT_ASK_MAX: wholeNumber(1, 1_000_000, 'requests per minute').default(60),
  REQUEST_TIMEOUT_MS: wholeNumber(1000, 600_000, 'milliseconds').default(30_000),
  INGEST_MAX_QUEUED_RUNS: wholeNumber(1, 100_000, 'runs').default(100),
  CAIRN_STARTER_CORPUS: onOff.default(true),
  CAIRN_PGLITE_THREAD: onOff.default(true),
  CAIRN_RETRIEVAL_MODE: retrievalMode.default('hybrid'),
  CAIRN_RERANK: rerankMode.default('features'),
  CAIRN_PASSAGE_CONTEXT: passageContextMode.default('off'),
  INGEST_ALLOW_PRIVATE_NETWORKS: z.string().trim().default('false'),
  INGEST_CONTACT: z
    .string()
    .trim()
    .refine((value) => /^(https?:\/\/|mailto:)\S+$/.test(value), {
      message: 'expects an http(s) URL or a mailto: address where site owners can reach you',
    })
    .default('https://cairn.invalid/crawler'),
  LOG_LEVEL: logLevel.default('info'),
  INGEST_MAX_CRAWL_DELAY_MS: z
    .string()
    .trim()
    .refine((value) => /^\d+$/.test(value) && Number(value) <= 600_000, { message: 'expects milliseconds from 0 to 600000' })
    .transform(Number)
    .default(10_000),
  CAIRN_QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expects letters, digits, dash or underscore')
    .default('cairn'),
  CAIRN_MCP_MAX_TOKENS: wholeNumber(1000, 100_000, 'tokens').default(8000),
  CAIRN_API_KEY: z
    .string()
    .trim()
    .regex(/^\S{16,512}$/, 'expects an API key (cairn keys create prints one): 16 to 512 characters without spaces')
    .optional(),
});

/** Variables whose values are secrets: an error about one never repeats its value. */
const secretVariables = new Set(['OPENAI_API_KEY', 'CAIRN_ADMIN_KEY', 'CAIRN_API_KEY']);

export type RetrievalMode = z.infer<typeof retrievalMode>;

/** The last stage of hybrid retrieval: the offline feature reranker, the chat model's listwise rerank over it, or none. */
export type RerankMode = z.infer<typeof rerankMode>;

/** What ingestion adds to a passage's context lines besides title, headings and byline: nothing, or a chat model's sentence. */
export type PassageContextMode = z.infer<typeof passageContextMode>;

export interface CairnConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  openai: { apiKey: string | undefined; baseUrl: string | undefined };
  chatModel: string;
  /** The chat model's limits: every call is bounded in time, length, retries and concurrency. */
  chat: { timeoutMs: number; maxTokens: number; contextTokens: number; maxConcurrency: number; maxQueued: number; maxRetries: number };
  /** `llm` answers with the chat model (needs OPENAI_API_KEY); `extractive` composes from the passages. */
  answerMode: 'llm' | 'extractive';
  /** A replacement for the bundled persona prompt. */
  personaPath: string | undefined;
  /** The embedding model id: `local-semantic-v2` unless an OpenAI key (or EMBEDDING_MODEL) says otherwise. */
  embeddingModel: string;
  host: string;
  port: number;
  adminKey: string | undefined;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
  /** Requests per minute per key (or address): all routes, and the answer routes. */
  rateLimit: { max: number; askMax: number };
  /** Time limit of a request (answers get CHAT_TIMEOUT_MS plus 10 s). */
  requestTimeoutMs: number;
  /** Runs that may wait in the queue before new ones are refused (429). */
  maxQueuedRuns: number;
  starterCorpus: boolean;
  /** The embedded database (PGlite in a data directory) runs in a thread of its own (CAIRN_PGLITE_THREAD, default on). */
  pgliteThread: boolean;
  retrievalMode: RetrievalMode;
  /**
   * How the fused top of a hybrid search is reordered: `features` (offline, the default),
   * `llm` (the chat model ranks the feature reranker's top; needs OPENAI_API_KEY) or `off`.
   */
  rerank: RerankMode;
  /**
   * `llm`: ingestion asks the chat model for one sentence situating each new passage in its
   * page, embedded and keyword-indexed with it (needs OPENAI_API_KEY); `off` (the default): none.
   */
  passageContext: PassageContextMode;
  allowPrivateNetworks: boolean | string[];
  /** Where site owners can reach the operator; goes in the crawler's User-Agent. */
  ingestContact: string;
  /** Upper bound on the Crawl-delay a robots.txt may ask for. */
  maxCrawlDelayMs: number;
  /** Key prefix of the BullMQ queue in Redis (separates deployments sharing one Redis). */
  queuePrefix: string;
  logLevel: z.infer<typeof logLevel>;
  /**
   * The Model Context Protocol server (`/mcp`, `cairn mcp`): `maxTokens` bounds each tool
   * result, resource and prompt it returns (CAIRN_MCP_MAX_TOKENS; a call may ask for less).
   */
  mcp: { maxTokens: number };
  /** The API key `cairn mcp --url` presents to a running API (CAIRN_API_KEY); never logged. */
  apiKey: string | undefined;
}

export const localEmbeddingModel = 'local-semantic-v2';

/**
 * Reads and validates the environment once. A bad value throws a ConfigError whose
 * message names the variable and what it expects, for the CLI to print as one line.
 */
export function loadConfig(environment: Record<string, string | undefined> = process.env): CairnConfig {
  const present = Object.fromEntries(
    Object.keys(environmentSchema.shape)
      .map((key) => [key, environment[key]])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const given = secretVariables.has(variable)
      ? `${String(present[variable] ?? '').length} characters`
      : JSON.stringify(present[variable]);
    throw new ConfigError(variable, `${issue.message} (got ${given})`);
  }
  const values = parsed.data;
  if (values.OPENAI_BASE_URL && !values.OPENAI_API_KEY) {
    throw new ConfigError('OPENAI_API_KEY', 'is required when OPENAI_BASE_URL is set (any non-empty value for servers without auth)');
  }
  if (values.CAIRN_ANSWER_MODE === 'llm' && !values.OPENAI_API_KEY) {
    throw new ConfigError('CAIRN_ANSWER_MODE', 'llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a server other than OpenAI)');
  }
  if (values.CAIRN_RERANK === 'llm' && !values.OPENAI_API_KEY) {
    throw new ConfigError(
      'CAIRN_RERANK',
      'llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a server other than OpenAI); without it use features',
    );
  }
  if (values.CAIRN_PASSAGE_CONTEXT === 'llm' && !values.OPENAI_API_KEY) {
    throw new ConfigError(
      'CAIRN_PASSAGE_CONTEXT',
      'llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a server other than OpenAI); without it use off',
    );
  }
  const embeddingModel = values.EMBEDDING_MODEL ?? (values.OPENAI_API_KEY ? 'text-embedding-3-small' : localEmbeddingModel);
  if (!embeddingModel.startsWith('local-') && !values.OPENAI_API_KEY) {
    throw new ConfigError('EMBEDDING_MODEL', `"${embeddingModel}" needs OPENAI_API_KEY; without it use ${localEmbeddingModel}`);
  }
  return {
    databaseUrl: values.DATABASE_URL,
    dataDir: values.CAIRN_DATA_DIR,
    redisUrl: values.REDIS_URL,
    openai: { apiKey: values.OPENAI_API_KEY, baseUrl: values.OPENAI_BASE_URL },
    chatModel: values.CHAT_MODEL,
    chat: {
      timeoutMs: values.CHAT_TIMEOUT_MS,
      maxTokens: values.CHAT_MAX_TOKENS,
      contextTokens: values.CHAT_CONTEXT_TOKENS,
      maxConcurrency: values.CHAT_MAX_CONCURRENCY,
      maxQueued: values.CHAT_MAX_QUEUED,
      maxRetries: values.CHAT_MAX_RETRIES,
    },
    answerMode: values.CAIRN_ANSWER_MODE === 'extractive' || !values.OPENAI_API_KEY ? 'extractive' : 'llm',
    personaPath: values.CAIRN_PERSONA_PATH,
    embeddingModel,
    host: values.HOST,
    port: values.PORT,
    adminKey: values.CAIRN_ADMIN_KEY,
    corsOrigins: (values.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    rateLimit: { max: values.RATE_LIMIT_MAX, askMax: values.RATE_LIMIT_ASK_MAX },
    requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
    maxQueuedRuns: values.INGEST_MAX_QUEUED_RUNS,
    starterCorpus: values.CAIRN_STARTER_CORPUS,
    pgliteThread: values.CAIRN_PGLITE_THREAD,
    retrievalMode: values.CAIRN_RETRIEVAL_MODE,
    rerank: values.CAIRN_RERANK,
    passageContext: values.CAIRN_PASSAGE_CONTEXT,
    allowPrivateNetworks: parseAllowPrivate(values.INGEST_ALLOW_PRIVATE_NETWORKS),
    ingestContact: values.INGEST_CONTACT,
    queuePrefix: values.CAIRN_QUEUE_PREFIX,
    maxCrawlDelayMs: values.INGEST_MAX_CRAWL_DELAY_MS,
    logLevel: values.LOG_LEVEL,
    mcp: { maxTokens: values.CAIRN_MCP_MAX_TOKENS },
    apiKey: values.CAIRN_API_KEY,
  };
}

function parseAllowPrivate(value: string): boolean | string[] {
  const lowered = value.toLowerCase();
  if (['true', 'on', '1', 'yes'].includes(lowered)) return true;
  if (['false', 'off', '0', 'no', ''].includes(lowered)) return false;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Checked here, once: an entry the crawler cannot read allowed nothing, and the crawl said to set this very variable.
  const unreadable = entries.find((entry) => !isAddressOrRange(entry));
  if (unreadable !== undefined)
    throw new ConfigError(
      'INGEST_ALLOW_PRIVATE_NETWORKS',
      `expects true, false, or IP addresses and CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8 (got ${JSON.stringify(unreadable)})`,
    );
  return entries;
}

/** An IP address ("127.0.0.1", "::1") or a CIDR range ("10.0.0.0/8", "fd00::/8"), as the crawler's address guard reads them. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address.replace(/^\[|\]$/g, ''));
  if (family === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * The process's environment, for an entry point that passes it on (to `loadConfig` with
 * overrides, or to a child process). This module is the one place that reads `process.env`
 * (a lint rule holds everything else to it).
 */
export function processEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}

/** CAIRN_DEBUG: the CLI prints a failing command's stack trace. Read apart from `loadConfig`, which may be what failed. */
export function debugEnabled(environment: Record<string, string | undefined> = process.env): boolean {
  return Boolean(environment.CAIRN_DEBUG);
}

/** What the benchmarks read from the environment (apps/cli/bench). */
export interface BenchSettings {
  /** BENCH_QUICK=1 (or --quick): small sizes, tables printed, docs/benchmarks.md left alone. */
  quick: boolean;
  /** BENCH_SKIP: `runtime/kind/size` sets of the comparison bench not measured again, as written. */
  skip: string[];
  /** BENCH_PGLITE_LIMIT_MINUTES: the estimated load time past which a PGlite set is not loaded (`none`: no limit). */
  pgliteLimitMinutes: number;
  /** The settings as given, for the report's `command:` line. */
  given: Record<string, string>;
}

export function loadBenchSettings(
  argv: readonly string[] = process.argv,
  environment: Record<string, string | undefined> = process.env,
): BenchSettings {
  const limit = environment.BENCH_PGLITE_LIMIT_MINUTES;
  const pgliteLimitMinutes = limit === 'none' ? Number.POSITIVE_INFINITY : Number(limit ?? 15);
  if (Number.isNaN(pgliteLimitMinutes) || pgliteLimitMinutes < 0)
    throw new ConfigError('BENCH_PGLITE_LIMIT_MINUTES', `expects a number of minutes or none (got ${JSON.stringify(limit)})`);
  const given = Object.fromEntries(
    ['BENCH_SKIP', 'BENCH_PGLITE_LIMIT_MINUTES'].filter((name) => environment[name]).map((name) => [name, environment[name]!]),
  );
  return {
    quick: argv.includes('--quick') || environment.BENCH_QUICK === '1',
    skip: (environment.BENCH_SKIP ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    pgliteLimitMinutes,
    given,
  };
}
