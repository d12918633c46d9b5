import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CairnError, errorCodes } from '@cairn/core';
import { startFakeOpenAIServer, waitFor, type FakeOpenAIServer } from '@cairn/testing';
import { completeChat, OpenAIChatModel, type ChatMessage, type ChatModel } from '../src/chat-model.js';

/**
 * What the suite needs of an implementation and of the provider behind it. Extractive
 * answers are not a ChatModel (the API composes them from the passages, under the model
 * name `cairn-extractive-v1`), so OpenAIChatModel is the one implementation today.
 */
interface ChatModelHarness {
  name: string;
  /** A model whose provider answers as told below; `maxConcurrency` bounds its calls in flight. */
  create(options?: { maxConcurrency?: number; maxQueued?: number; timeoutMs?: number }): ChatModel;
  /** A model whose provider accepts the call and never starts answering. */
  createStalled(timeoutMs: number): ChatModel;
  /** The text the provider answers from now on. */
  reply(text: string): void;
  /** Milliseconds the provider waits before each piece of its answer. */
  pace(milliseconds: number): void;
  /** Makes the provider fail the next call (a 500). */
  failNext(): void;
  /** Calls that reached the provider so far, and those cancelled before the end of their answer. */
  calls(): number;
  cancelled(): number;
  /** The model id the provider was last asked for. */
  lastRequestedModel(): string | undefined;
}

const modelId = 'cairn-contract-chat';
const messages: ChatMessage[] = [
  { role: 'system', content: 'You are a thought partner for engineering leaders.' },
  { role: 'user', content: 'How do I give feedback to a peer?' },
];
const answer = 'Give it soon after the event. Name what you observed, then its impact, then ask what they saw.';

let provider: FakeOpenAIServer;
/** An OpenAI-compatible address that takes every request and never answers: a model that does not start. */
let silent: { server: Server; url: string };

beforeAll(async () => {
  provider = await startFakeOpenAIServer();
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  silent = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
});
afterAll(async () => {
  await provider?.close();
  silent?.server.closeAllConnections();
  await new Promise((resolve) => silent?.server.close(resolve));
});

const chatRequests = () => provider.requests.filter((request) => request.path === '/v1/chat/completions');

const implementations: ChatModelHarness[] = [
  {
    name: 'OpenAIChatModel (OpenAI-compatible test server)',
    create: ({ maxConcurrency = 4, maxQueued, timeoutMs = 10_000 } = {}) =>
      new OpenAIChatModel({
        apiKey: 'sk-test',
        baseUrl: provider.url,
        model: modelId,
        timeoutMs,
        maxTokens: 256,
        maxRetries: 0,
        maxConcurrency,
        maxQueued,
      }),
    createStalled: (timeoutMs) =>
      new OpenAIChatModel({
        apiKey: 'sk-test',
        baseUrl: silent.url,
        model: modelId,
        timeoutMs,
        maxTokens: 256,
        maxRetries: 0,
        maxConcurrency: 4,
      }),
    reply: (text) => provider.setChatReply(text),
    pace: (milliseconds) => provider.setChatDelay(milliseconds),
    failNext: () => provider.failNext(1, 500),
    calls: () => chatRequests().length,
    cancelled: () => provider.chatAborts(),
    lastRequestedModel: () => (chatRequests().at(-1)?.body as { model?: string } | undefined)?.model,
  },
];

/** What a stream yielded before it ended, and the error it ended with, if any. */
async function drain(stream: AsyncIterable<string>, onPiece?: (pieces: string[]) => void): Promise<{ pieces: string[]; error: unknown }> {
  const pieces: string[] = [];
  try {
    for await (const piece of stream) {
      pieces.push(piece);
      onPiece?.(pieces);
    }
    return { pieces, error: undefined };
  } catch (error) {
    return { pieces, error };
  }
}

describe.each(implementations)('ChatModel contract: $name', (harness) => {
  beforeEach(() => {
    harness.reply(answer);
    harness.pace(0);
  });

  it('streams the answer in several pieces that join to the whole text', async () => {
    const { pieces, error } = await drain(harness.create().stream(messages));
    expect(error).toBeUndefined();
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((piece) => typeof piece === 'string' && piece.length > 0)).toBe(true);
    expect(pieces.join('')).toBe(answer);
    expect(await completeChat(harness.create(), messages)).toBe(answer);
  });

  it('reports the model id it calls', async () => {
    const model = harness.create();
    expect(model.model).toBe(modelId);
    await completeChat(model, messages);
    expect(harness.lastRequestedModel()).toBe(model.model);
  });

  it('stops when its signal is aborted, ending the stream with the abort reason, and cancels the call', async () => {
    harness.pace(30);
    const controller = new AbortController();
    const reason = new CairnError('request_timeout', 'The request took longer than its limit and was stopped.');
    const cancelledBefore = harness.cancelled();
    const { pieces, error } = await drain(harness.create().stream(messages, { signal: controller.signal }), (sofar) => {
      if (sofar.length === 2) controller.abort(reason);
    });
    // The reason as it is (the API's request_timeout), not re-mapped to model_failed.
    expect(error).toBe(reason);
    expect(pieces).toHaveLength(2);
    await waitFor(
      async () => (harness.cancelled() > cancelledBefore ? true : undefined),
      5000,
      'the provider to see the call cancelled',
      20,
    );
  });

  it('makes no call with a signal aborted already, and ends with its reason', async () => {
    const controller = new AbortController();
    controller.abort();
    const callsBefore = harness.calls();
    const { pieces, error } = await drain(harness.create().stream(messages, { signal: controller.signal }));
    expect(pieces).toEqual([]);
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(harness.calls()).toBe(callsBefore);
  });

  it('reports a failing provider as model_failed (502), naming the model', async () => {
    harness.failNext();
    const { pieces, error } = await drain(harness.create().stream(messages));
    expect(pieces).toEqual([]);
    expect(error).toBeInstanceOf(CairnError);
    expect(error).toMatchObject({ code: 'model_failed', statusCode: errorCodes.model_failed.status });
    expect(errorCodes.model_failed.status).toBe(502);
    expect((error as Error).message).toContain(modelId);
  });

  it('reports a provider that does not start answering within the timeout as model_timeout (504)', async () => {
    const started = Date.now();
    const { pieces, error } = await drain(harness.createStalled(300).stream(messages));
    expect(pieces).toEqual([]);
    expect(error).toBeInstanceOf(CairnError);
    expect(error).toMatchObject({ code: 'model_timeout', statusCode: errorCodes.model_timeout.status });
    expect(errorCodes.model_timeout.status).toBe(504);
    expect((error as Error).message).toContain('300 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('ends a call that is still writing when its timeout runs out with model_timeout, after the pieces it wrote', async () => {
    // A word every 200 ms: the answer would take about 3.6 s, the timeout is 800 ms.
    harness.pace(200);
    const started = Date.now();
    const { pieces, error } = await drain(harness.create({ timeoutMs: 800 }).stream(messages));
    expect(error).toMatchObject({ code: 'model_timeout', statusCode: errorCodes.model_timeout.status });
    expect((error as Error).message).toContain('800 ms');
    expect(pieces.join('').length).toBeLessThan(answer.length);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('holds at most maxConcurrency calls in flight, each for its whole stream', async () => {
    harness.pace(20);
    const model = harness.create({ maxConcurrency: 1 });
    const callsBefore = harness.calls();
    const first = model.stream(messages)[Symbol.asyncIterator]();
    expect((await first.next()).done).toBe(false);
    // The first stream is open: the second waits for its slot without calling the provider.
    const second = drain(model.stream(messages));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.calls() - callsBefore).toBe(1);
    let rest = await first.next();
    while (!rest.done) rest = await first.next();
    expect((await second).pieces.join('')).toBe(answer);
    expect(harness.calls() - callsBefore).toBe(2);
  });

  it('refuses a call at once with model_busy (503) when every slot is in use and maxQueued wait already', async () => {
    harness.pace(20);
    const model = harness.create({ maxConcurrency: 1, maxQueued: 1 });
    const callsBefore = harness.calls();
    const first = model.stream(messages)[Symbol.asyncIterator]();
    expect((await first.next()).done).toBe(false);
    const second = drain(model.stream(messages)); // waits for the slot
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const third = await drain(model.stream(messages));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(third.error).toBeInstanceOf(CairnError);
    expect(third.error).toMatchObject({ code: 'model_busy', statusCode: errorCodes.model_busy.status });
    expect((third.error as Error).message).toMatch(/CHAT_MAX_QUEUED/);
    let rest = await first.next();
    while (!rest.done) rest = await first.next();
    expect((await second).pieces.join('')).toBe(answer);
    // The refused call never reached the provider, and the model takes calls again once slots free.
    expect(harness.calls() - callsBefore).toBe(2);
    expect(await completeChat(model, messages)).toBe(answer);
  });

  it('lets callers who hang up while they wait leave the queue: a new caller waits instead of model_busy, and they never reach the provider', async () => {
    harness.pace(20);
    const model = harness.create({ maxConcurrency: 1, maxQueued: 2 });
    const callsBefore = harness.calls();
    const first = model.stream(messages)[Symbol.asyncIterator]();
    expect((await first.next()).done).toBe(false);
    const controllers = [new AbortController(), new AbortController()];
    const waiting = controllers.map((controller) => drain(model.stream(messages, { signal: controller.signal })));
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const controller of controllers) controller.abort();
    for (const gone of await Promise.all(waiting)) expect((gone.error as Error).name).toBe('AbortError');
    const next = drain(model.stream(messages));
    let rest = await first.next();
    while (!rest.done) rest = await first.next();
    const served = await next;
    expect(served.error).toBeUndefined();
    expect(served.pieces.join('')).toBe(answer);
    expect(harness.calls() - callsBefore).toBe(2);
  });

  it('gives its slot back when a call fails or is aborted', async () => {
    const model = harness.create({ maxConcurrency: 1 });
    harness.failNext();
    expect((await drain(model.stream(messages))).error).toMatchObject({ code: 'model_failed' });
    const controller = new AbortController();
    await drain(model.stream(messages, { signal: controller.signal }), () => controller.abort());
    expect(await completeChat(model, messages)).toBe(answer);
  });
});
