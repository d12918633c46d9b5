import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startFakeOpenAIServer, type FakeOpenAIServer, type TestDatabase } from '@cairn/testing';
import { baseEnvironment, request, seconds, sleep, startServe, type CairnProcess } from './services.js';

const inFlight = 40;
const streams = 5;

/** A streamed answer (Server-Sent Events), read to its end. */
async function askStreaming(url: string, question: string): Promise<{ status: number; text: string; finishedAt: number }> {
  try {
    const response = await fetch(`${url}/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return { status: response.status, text, finishedAt: Date.now() };
  } catch (error) {
    return { status: 0, text: (error as Error).message, finishedAt: Date.now() };
  }
}

/** Whether a new TCP connection to the port is refused. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * SIGTERM to `cairn serve` with many slow requests in flight (answers from a chat model
 * held until the signal is sent, then taking about 1.5 s; some streamed as Server-Sent Events): each completes with 200, new connections are refused, and the
 * process exits 0 within 10 s.
 */
describe('fault: SIGTERM under load', () => {
  let database: TestDatabase;
  let model: FakeOpenAIServer;
  let api: CairnProcess | undefined;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase('cairn_faults_sigterm');
    model = await startFakeOpenAIServer();
    model.setChatDelay(100);
    ({ process: api, url } = await startServe(
      baseEnvironment({
        DATABASE_URL: database.url,
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: model.url,
        CAIRN_ANSWER_MODE: 'llm',
        EMBEDDING_MODEL: 'local-hash-v1',
        CHAT_MODEL: 'fake-chat',
        CHAT_MAX_CONCURRENCY: '64',
      }),
    ));
  }, 120_000);

  afterAll(async () => {
    await api?.kill();
    await model?.close();
    await database?.drop();
  });

  it('finishes every in-flight request, refuses new connections, and exits 0 within 10 s', async () => {
    const warm = await request(`${url}/v1/ask`, { body: { question: 'How do I run a good one-on-one?' }, timeoutMs: 30_000 });
    expect(warm.status, JSON.stringify(warm.body)).toBe(200);
    const chatRequests = () => model.requests.filter((recorded) => recorded.path.endsWith('/chat/completions')).length;
    const before = chatRequests();
    // The model holds every answer until the signal has been sent, so each request is
    // mid-answer at SIGTERM however slowly a loaded machine dispatches them.
    const release = model.holdChat();

    const started = Date.now();
    const requests = Array.from({ length: inFlight }, (_, index) =>
      request(`${url}/v1/ask`, { body: { question: `What makes a good staff engineer, take ${index}?` }, timeoutMs: 30_000 }).then(
        (response) => ({ ...response, finishedAt: Date.now() }),
        (error: Error) => ({ status: 0, body: error.message, finishedAt: Date.now() }),
      ),
    );
    const streamed = Array.from({ length: streams }, (_, index) => askStreaming(url, `How do I sponsor someone, take ${index}?`));
    // Every request has reached the model, so each is mid-answer when the signal comes.
    while (chatRequests() - before < inFlight + streams) {
      if (Date.now() - started > 20_000)
        throw new Error(`only ${chatRequests() - before} of ${inFlight + streams} requests reached the model`);
      await sleep(20);
    }
    const signalledAt = Date.now();
    api!.child.kill('SIGTERM');
    await sleep(100);
    const refusedAfterSignal = await refused(url);
    release();

    const responses = await Promise.all(requests);
    const streamedResponses = await Promise.all(streamed);
    const exit = await api!.exited;
    const exitedAfter = Date.now() - signalledAt;

    expect(
      responses.map((response) => response.status),
      JSON.stringify(responses.find((response) => response.status !== 200)),
    ).toEqual(Array(inFlight).fill(200));
    for (const response of responses) expect(response.body.mode).toBe('llm');
    expect(responses.every((response) => response.finishedAt > signalledAt)).toBe(true);
    for (const response of streamedResponses) {
      expect(response.status).toBe(200);
      expect(response.text).toMatch(/event: done\ndata: \{/);
      expect(response.finishedAt).toBeGreaterThan(signalledAt);
    }
    expect(refusedAfterSignal).toBe(true);
    expect(exit, api!.output().slice(-3000)).toEqual({ code: 0, signal: null });
    expect(exitedAfter).toBeLessThan(10_000);
    const lastResponse = Math.max(...[...responses, ...streamedResponses].map((response) => response.finishedAt)) - signalledAt;
    console.log(
      `sigterm: ${inFlight} /v1/ask requests and ${streams} streamed ones in flight (held at the model, then about 1.5 s each) at SIGTERM; all completed 200 (the last ${seconds(lastResponse)} after the signal); ` +
        `new connections refused; the process exited 0 ${seconds(exitedAfter)} after SIGTERM`,
    );
  }, 120_000);
});
