import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { startFakeOpenAIServer, testRuntimes, type FakeChatBody, type FakeOpenAIServer } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

interface StageRanks {
  vector: number | null;
  keyword: number | null;
  page: number | null;
  fused: number | null;
  reranked: number | null;
}
interface Result {
  text: string;
  ranks: StageRanks;
}

const question = 'what are the staff engineer archetypes';

/** The numbered passages of a rerank prompt: n → the start of its excerpt. */
function promptedExcerpts(body: FakeChatBody): Map<number, string> {
  const user = body.messages?.find((message) => message.role === 'user')?.content ?? '';
  return new Map([...user.matchAll(/<passage n="(\d+)"[^>]*>\n([^\n]*)\n<\/passage>/g)].map((match) => [Number(match[1]), match[2]!]));
}

const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * CAIRN_RERANK=llm through the API, against the OpenAI-compatible test server: answers stay
 * extractive, yet the rerank has its chat model, /v1/search follows its reply, and a model
 * that fails leaves the search answered in the feature reranker's order, with one log line.
 */
describe.each(testRuntimes)('the LLM rerank of /v1/search on $name', (testRuntime) => {
  let server: FakeOpenAIServer;
  let runtime: Runtime;
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  const logLines: string[] = [];

  beforeAll(async () => {
    server = await startFakeOpenAIServer();
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({
      ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}),
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.url,
      EMBEDDING_MODEL: 'local-hash-v1',
      CAIRN_ANSWER_MODE: 'extractive',
      CAIRN_RERANK: 'llm',
      CHAT_MAX_RETRIES: '0',
    });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    app = await buildApp(runtime, { logger: { level: 'warn', stream } });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await server?.close();
    await drop?.();
  });

  beforeEach(() => {
    server.requests.length = 0;
    server.failNext(0);
    logLines.length = 0;
  });

  const search = (k: number) => app.inject({ method: 'POST', url: '/v1/search', payload: { query: question, k } });
  const chatBodies = () =>
    server.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => request.body as FakeChatBody);

  it('opens a chat model for the rerank though answers are extractive', () => {
    expect(runtime.chatModel).toBeUndefined();
    expect(runtime.rerankModel?.model).toBe('gpt-4o-mini');
  });

  it("puts the results in the model's order: the last of the 20 passages it was sent comes first", async () => {
    // The model ranks the passages it was sent in reverse.
    server.setChatReply((body) => `[${[...promptedExcerpts(body).keys()].reverse().join(', ')}]`);
    const response = await search(5);
    expect(response.statusCode).toBe(200);
    const body = response.json() as { reranker: string; results: Result[]; timings: { rerankMs: number } };
    expect(body.reranker).toBe('llm');

    const bodies = chatBodies();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.messages!.find((message) => message.role === 'user')!.content).toContain(`Question: ${question}`);
    const excerpts = promptedExcerpts(bodies[0]!);
    expect([...excerpts.keys()]).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));

    const first = body.results[0]!;
    expect(first.ranks.reranked).toBe(1);
    expect(normalised(first.text).startsWith(excerpts.get(20)!.replace(/ …$/, ''))).toBe(true);
    expect(body.results.map((result) => result.ranks.reranked)).toEqual(
      [...body.results.map((result) => result.ranks.reranked!)].sort((a, b) => a - b),
    );
    expect(body.timings.rerankMs).toBeGreaterThan(0);
    expect(logLines).toEqual([]);
  });

  it("answers in the feature reranker's order, and logs one line, when the model fails", async () => {
    server.setChatReply('[2, 1]');
    server.failNext(1, 500);
    const response = await search(5);
    expect(response.statusCode).toBe(200);
    const body = response.json() as { reranker: string; results: Result[] };
    expect(chatBodies()).toHaveLength(1);
    // The feature reranker's order of the candidates is the order they were sent in.
    const excerpts = promptedExcerpts(chatBodies()[0]!);
    expect(normalised(body.results[0]!.text).startsWith(excerpts.get(1)!.replace(/ …$/, ''))).toBe(true);
    expect(body.results[0]!.ranks.reranked).toBe(1);
    const warnings = logLines.filter((line) => line.includes('rerank llm'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!).msg).toMatch(
      /^rerank llm \(gpt-4o-mini\) kept the features-v1 order of the top 20 passages: The chat model gpt-4o-mini failed/,
    );
  });
});
