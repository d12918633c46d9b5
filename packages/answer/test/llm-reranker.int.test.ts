import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetrievedPassage } from '@cairn/core';
import { startFakeOpenAIServer, waitFor, type FakeChatBody, type FakeOpenAIServer } from '@cairn/testing';
import { OpenAIChatModel } from '../src/chat-model.js';
import { LlmReranker, type LlmRerankerOptions } from '../src/llm-reranker.js';
import { retrievedPassage } from './retrieved-passage.js';

/**
 * The mechanics of the chat model's listwise rerank against the OpenAI-compatible test
 * server: what it sends, how it reads the reply, and that every failure keeps the order
 * it was given (a search never fails for its rerank).
 */
let provider: FakeOpenAIServer;

beforeAll(async () => {
  provider = await startFakeOpenAIServer();
});
afterAll(async () => {
  await provider?.close();
});
beforeEach(() => {
  provider.setChatDelay(0);
  provider.failNext(0);
});

const question = 'How do I give feedback to a peer who interrupts in meetings?';
const candidates = (count: number): RetrievedPassage[] =>
  Array.from({ length: count }, (_, index) =>
    retrievedPassage(index, { title: `Post ${index + 1}`, text: `Body of candidate ${index + 1}: feedback, meetings and interruptions.` }),
  );
const ids = (passages: readonly RetrievedPassage[]) => passages.map((passage) => passage.chunkId);
const chatBodies = () =>
  provider.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => request.body as FakeChatBody);

function reranker(options: Partial<LlmRerankerOptions> = {}) {
  const lines: string[] = [];
  const model = new OpenAIChatModel({
    apiKey: 'sk-test',
    baseUrl: provider.url,
    model: 'cairn-rerank-test',
    timeoutMs: 10_000,
    maxTokens: 256,
    maxRetries: 0,
    maxConcurrency: 4,
  });
  return { lines, reranker: new LlmReranker({ model, log: (line) => lines.push(line), ...options }) };
}

describe('LlmReranker against the OpenAI-compatible test server', () => {
  it('sends the question and the top 20 passages, numbered, and reorders them by the reply', async () => {
    provider.setChatReply('[3, 1, 7]');
    const sentBefore = chatBodies().length;
    const { reranker: llm, lines } = reranker();
    const given = candidates(25);
    const reranked = await llm.rerank(question, given);

    const bodies = chatBodies().slice(sentBefore);
    expect(bodies).toHaveLength(1);
    const [system, user] = bodies[0]!.messages!;
    expect(system!.role).toBe('system');
    expect(system!.content).toMatch(/passage numbers only, most useful first/);
    expect(user!.content).toContain(`Question: ${question}`);
    for (let n = 1; n <= 20; n += 1) {
      expect(user!.content).toContain(`<passage n="${n}" title="Post ${n}" section="Title ${n - 1} › Section">\nBody of candidate ${n}:`);
    }
    expect(user!.content).not.toContain('n="21"');
    expect(user!.content).not.toContain('candidate 21');

    // Named first in the reply's order; then the rest of the top 20, then 21-25, each in the order given.
    const order = [3, 1, 7, 2, 4, 5, 6, ...Array.from({ length: 18 }, (_, index) => index + 8)];
    expect(ids(reranked)).toEqual(order.map((n) => `chunk-${n - 1}`));
    expect(lines).toEqual([]);
  });

  it('sends only topN passages when told, and appends those the reply leaves out, ignoring numbers out of range and repeats', async () => {
    provider.setChatReply('Ranking: [4, 4, 9, 0, 2]');
    const sentBefore = chatBodies().length;
    const { reranker: llm, lines } = reranker({ topN: 4 });
    const reranked = await llm.rerank(question, candidates(6));
    const user = chatBodies().slice(sentBefore)[0]!.messages![1]!.content;
    expect(user).toContain('n="4"');
    expect(user).not.toContain('n="5"');
    expect(ids(reranked)).toEqual(['chunk-3', 'chunk-1', 'chunk-0', 'chunk-2', 'chunk-4', 'chunk-5']);
    expect(lines).toEqual([]);
  });

  it('keeps the given order, and logs one line, when the reply names no passage', async () => {
    provider.setChatReply('I am sorry, but I cannot rank these passages.');
    const { reranker: llm, lines } = reranker();
    const given = candidates(5);
    expect(ids(await llm.rerank(question, given))).toEqual(ids(given));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^rerank llm \(cairn-rerank-test\) kept the fused order of the top 5 passages: the reply names no passage: "I am sorry/,
    );
  });

  it('keeps the given order, and logs one line, when the model answers with an error status', async () => {
    provider.setChatReply('[2, 1]');
    provider.failNext(1, 500);
    const { reranker: llm, lines } = reranker();
    const given = candidates(5);
    expect(ids(await llm.rerank(question, given))).toEqual(ids(given));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/kept the fused order of the top 5 passages: The chat model cairn-rerank-test failed/);
  });

  it('keeps the given order, and cancels the call, when the model does not reply in time', async () => {
    provider.setChatReply('[2, 1]');
    provider.setChatDelay(5000);
    const abortsBefore = provider.chatAborts();
    const { reranker: llm, lines } = reranker({ timeoutMs: 300 });
    const given = candidates(5);
    const started = performance.now();
    expect(ids(await llm.rerank(question, given))).toEqual(ids(given));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(lines).toEqual(['rerank llm (cairn-rerank-test) kept the fused order of the top 5 passages: no reply within 300 ms']);
    await waitFor(async () => (provider.chatAborts() > abortsBefore ? true : undefined), 5000, 'the timed-out call to be cancelled');
  });

  it("keeps the given order when the caller's signal aborts, during the call or before it", async () => {
    provider.setChatReply('[2, 1]');
    provider.setChatDelay(5000);
    const { reranker: llm, lines } = reranker();
    const given = candidates(5);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 200);
    const started = performance.now();
    expect(ids(await llm.rerank(question, given, { signal: controller.signal }))).toEqual(ids(given));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(lines).toEqual(['rerank llm (cairn-rerank-test) kept the fused order of the top 5 passages: the search was cancelled']);

    const sentBefore = chatBodies().length;
    expect(ids(await llm.rerank(question, given, { signal: AbortSignal.abort() }))).toEqual(ids(given));
    expect(chatBodies().length).toBe(sentBefore);
    expect(lines).toHaveLength(2);
  });

  it('does not call the model for fewer than two candidates', async () => {
    const sentBefore = chatBodies().length;
    const { reranker: llm } = reranker();
    const one = candidates(1);
    expect(ids(await llm.rerank(question, one))).toEqual(ids(one));
    expect(await llm.rerank(question, [])).toEqual([]);
    expect(chatBodies().length).toBe(sentBefore);
  });
});
