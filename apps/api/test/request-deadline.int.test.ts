import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../src/error-handler.js';
import { backstopMs, requestDeadlinePlugin } from '../src/request-deadline.js';
import { openEventStream } from '../src/routes/event-stream.js';

describe('the request deadline', () => {
  const logged: string[] = [];
  const app = Fastify({
    logger: {
      level: 'info',
      stream: new Writable({
        write(chunk, _encoding, done) {
          logged.push(String(chunk));
          done();
        },
      }),
    },
  });
  afterAll(() => app.close());

  it('answers 408 at the limit even when the work under the request takes no signal and never ends', { timeout: 30_000 }, async () => {
    registerErrorHandling(app);
    await app.register(requestDeadlinePlugin, { requestTimeoutMs: 500, answerTimeoutMs: 500 });
    let resumed = false;
    // A hook that hangs and ignores request.deadline, as a call to a silent Redis did.
    app.get(
      '/hangs',
      { preHandler: () => new Promise<void>((resolve) => setTimeout(() => ((resumed = true), resolve()), 4000)) },
      async () => ({
        ok: true,
      }),
    );
    // Work that answers the abort itself keeps its own answer.
    app.get('/listens', async (request, reply) => {
      await new Promise((resolve) => request.deadline.addEventListener('abort', resolve));
      return reply.code(408).send({ error: { code: 'request_timeout', message: 'stopped by the route' } });
    });
    app.get('/streams-late', async (request, reply) => {
      await new Promise((resolve) => setTimeout(resolve, 500 + backstopMs + 500));
      const stream = openEventStream(request, reply);
      stream.send('token', { text: 'too late' });
      stream.end();
      return reply;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    const started = performance.now();
    const hung = await fetch(`${base}/hangs`);
    const elapsed = performance.now() - started;
    expect(hung.status).toBe(408);
    expect(((await hung.json()) as { error: { code: string } }).error.code).toBe('request_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(500 + backstopMs + 1500);
    expect(resumed).toBe(false);

    // Work that opens a stream after the deadline answered writes nothing and fails on nothing.
    const late = await fetch(`${base}/streams-late`);
    expect(late.status).toBe(408);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(logged.join('')).not.toMatch(/ERR_HTTP_HEADERS_SENT|"level":50/);

    const listened = await fetch(`${base}/listens`);
    expect(listened.status).toBe(408);
    expect(await listened.json()).toEqual({ error: { code: 'request_timeout', message: 'stopped by the route' } });
  });
});
