import { describe, expect, it } from 'vitest';
import { ConfigError, debugEnabled, loadBenchSettings, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: './.cairn',
      host: '127.0.0.1',
      port: 3000,
      embeddingModel: 'local-semantic-v2',
      starterCorpus: true,
      pgliteThread: true,
      retrievalMode: 'hybrid',
      rerank: 'features',
      passageContext: 'off',
      allowPrivateNetworks: false,
    });
  });

  it('reads CAIRN_PGLITE_THREAD as on or off', () => {
    expect(loadConfig({ CAIRN_PGLITE_THREAD: 'off' }).pgliteThread).toBe(false);
    expect(loadConfig({ CAIRN_PGLITE_THREAD: 'on' }).pgliteThread).toBe(true);
    expect(() => loadConfig({ CAIRN_PGLITE_THREAD: 'sometimes' })).toThrowError(/^CAIRN_PGLITE_THREAD: /);
  });

  it('reads CAIRN_PASSAGE_CONTEXT, and refuses the llm passage context without a chat model key', () => {
    expect(loadConfig({ CAIRN_PASSAGE_CONTEXT: 'off' }).passageContext).toBe('off');
    expect(loadConfig({ CAIRN_PASSAGE_CONTEXT: 'llm', OPENAI_API_KEY: 'sk-test' }).passageContext).toBe('llm');
    // Its own switch: extractive answers and the feature rerank, with contexts written by the chat model.
    expect(loadConfig({ CAIRN_PASSAGE_CONTEXT: 'llm', OPENAI_API_KEY: 'sk-test', CAIRN_ANSWER_MODE: 'extractive' })).toMatchObject({
      passageContext: 'llm',
      answerMode: 'extractive',
      rerank: 'features',
    });
    expect(() => loadConfig({ CAIRN_PASSAGE_CONTEXT: 'llm' })).toThrowError(ConfigError);
    expect(() => loadConfig({ CAIRN_PASSAGE_CONTEXT: 'llm' })).toThrowError(/^CAIRN_PASSAGE_CONTEXT: llm needs OPENAI_API_KEY/);
    expect(() => loadConfig({ CAIRN_PASSAGE_CONTEXT: 'on', OPENAI_API_KEY: 'sk-test' })).toThrowError(
      /^CAIRN_PASSAGE_CONTEXT: expects off or llm \(got "on"\)$/,
    );
  });

  it('reads CAIRN_RERANK, and refuses the llm rerank without a chat model key', () => {
    expect(loadConfig({ CAIRN_RERANK: 'off' }).rerank).toBe('off');
    expect(loadConfig({ CAIRN_RERANK: 'features' }).rerank).toBe('features');
    expect(loadConfig({ CAIRN_RERANK: 'llm', OPENAI_API_KEY: 'sk-test' }).rerank).toBe('llm');
    // The rerank is its own switch: extractive answers with the chat model's rerank.
    expect(loadConfig({ CAIRN_RERANK: 'llm', OPENAI_API_KEY: 'sk-test', CAIRN_ANSWER_MODE: 'extractive' })).toMatchObject({
      rerank: 'llm',
      answerMode: 'extractive',
    });
    expect(() => loadConfig({ CAIRN_RERANK: 'llm' })).toThrowError(ConfigError);
    expect(() => loadConfig({ CAIRN_RERANK: 'llm' })).toThrowError(/^CAIRN_RERANK: llm needs OPENAI_API_KEY/);
    expect(() => loadConfig({ CAIRN_RERANK: 'cross-encoder' })).toThrowError(
      /^CAIRN_RERANK: expects features, llm or off \(got "cross-encoder"\)$/,
    );
  });

  it('names the variable and what it expects when a value is malformed', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(/^PORT: expects a whole number from 0 to 65535 \(got "eighty"\)$/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(/^DATABASE_URL: expects a postgres/);
    expect(() => loadConfig({ CAIRN_STARTER_CORPUS: 'maybe' })).toThrowError(/^CAIRN_STARTER_CORPUS: expects on or off/);
  });

  it('picks OpenAI embeddings when a key is set and refuses a remote model without one', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).embeddingModel).toBe('text-embedding-3-small');
    expect(() => loadConfig({ EMBEDDING_MODEL: 'text-embedding-3-large' })).toThrowError(/^EMBEDDING_MODEL: /);
  });

  it('reads the private-network allowance as a switch or a list', () => {
    expect(loadConfig({ INGEST_ALLOW_PRIVATE_NETWORKS: 'true' }).allowPrivateNetworks).toBe(true);
    expect(loadConfig({ INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1, 10.0.0.0/8' }).allowPrivateNetworks).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
    expect(loadConfig({ INGEST_ALLOW_PRIVATE_NETWORKS: '::1,fd00::/8,[::1]' }).allowPrivateNetworks).toEqual(['::1', 'fd00::/8', '[::1]']);
    // An entry the crawler cannot read stops the start, where it used to allow nothing in silence.
    for (const bad of ['127.0.0.0/33', '300.1.1.1', 'localhost', '10.0.0.0/8;192.168.0.0/16', '10.0.0.0/8/1'])
      expect(() => loadConfig({ INGEST_ALLOW_PRIVATE_NETWORKS: bad }), bad).toThrowError(
        /^INGEST_ALLOW_PRIVATE_NETWORKS: expects true, false, or IP/,
      );
  });

  it('reads the MCP token budget and the key cairn mcp --url sends, and never repeats a key in an error', () => {
    expect(loadConfig({}).mcp).toEqual({ maxTokens: 8000 });
    expect(loadConfig({ CAIRN_MCP_MAX_TOKENS: '2000' }).mcp.maxTokens).toBe(2000);
    expect(() => loadConfig({ CAIRN_MCP_MAX_TOKENS: '100' })).toThrowError(
      /^CAIRN_MCP_MAX_TOKENS: expects tokens from 1000 to 100000 \(got "100"\)$/,
    );
    expect(loadConfig({ CAIRN_API_KEY: 'cairn_0123456789abcdef0123' }).apiKey).toBe('cairn_0123456789abcdef0123');
    expect(() => loadConfig({ CAIRN_API_KEY: 'short-secret' })).toThrowError(
      /^CAIRN_API_KEY: expects an API key .* \(got 12 characters\)$/,
    );
    expect(() => loadConfig({ CAIRN_ADMIN_KEY: 'short-secret' })).toThrowError(/\(got 12 characters\)$/);
  });
});

describe('debugEnabled', () => {
  it('is on when CAIRN_DEBUG has a value', () => {
    expect(debugEnabled({ CAIRN_DEBUG: '1' })).toBe(true);
    expect(debugEnabled({})).toBe(false);
  });
});

describe('loadBenchSettings', () => {
  it('reads --quick or BENCH_QUICK, the sets to skip and the PGlite limit', () => {
    expect(loadBenchSettings(['node', 'bench.ts'], {})).toEqual({ quick: false, skip: [], pgliteLimitMinutes: 15, given: {} });
    const settings = loadBenchSettings(['node', 'bench.ts', '--quick'], {
      BENCH_SKIP: 'postgres/local-512/10000, pglite/local-512/10000',
      BENCH_PGLITE_LIMIT_MINUTES: 'none',
    });
    expect(settings.quick).toBe(true);
    expect(settings.skip).toEqual(['postgres/local-512/10000', 'pglite/local-512/10000']);
    expect(settings.pgliteLimitMinutes).toBe(Number.POSITIVE_INFINITY);
    expect(settings.given).toEqual({ BENCH_SKIP: 'postgres/local-512/10000, pglite/local-512/10000', BENCH_PGLITE_LIMIT_MINUTES: 'none' });
    expect(loadBenchSettings([], { BENCH_QUICK: '1' }).quick).toBe(true);
  });

  it('refuses a PGlite limit that is not a number of minutes', () => {
    expect(() => loadBenchSettings([], { BENCH_PGLITE_LIMIT_MINUTES: 'soon' })).toThrowError(
      /^BENCH_PGLITE_LIMIT_MINUTES: expects a number of minutes or none/,
    );
  });
});
