import { PassThrough, type Readable } from 'node:stream';
import fp from 'fastify-plugin';
import { CairnError } from '@cairn/core';
import { mcpRoute } from './routes/mcp-route-path.js';
import { ClientDisconnectedError } from './routes/event-stream.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Aborts when the request runs past its time limit (reason: a `request_timeout`
     * CairnError) or its client goes away: pass it to database and model calls.
     */
    deadline: AbortSignal;
  }
}

/**
 * The body as it arrives, failing with `error` when it has not arrived whole after
 * `remainingMs`: Fastify answers that error (408) instead of waiting on a client that sends
 * a byte a second. Stops reading the body then: the connection closes with the answer.
 */
function bodyWithDeadline(body: Readable, remainingMs: number, error: () => Error): Readable {
  const guarded = new PassThrough();
  const timer = setTimeout(() => {
    body.unpipe(guarded);
    body.pause();
    guarded.destroy(error());
  }, remainingMs);
  timer.unref();
  body.once('end', () => clearTimeout(timer));
  body.once('error', (cause) => {
    clearTimeout(timer);
    guarded.destroy(cause);
  });
  guarded.once('close', () => clearTimeout(timer));
  return body.pipe(guarded);
}

/** How long past its limit a request may go unanswered before the deadline answers it (see requestDeadlinePlugin). */
export const backstopMs = 1000;

/** Routes that wait for a chat model get its timeout plus 10 s; the rest REQUEST_TIMEOUT_MS. */
export const answerRoutes = new Set(['/v1/ask', '/v1/chat/completions']);

/**
 * `/mcp` gets the answers' limit too, as its longest tool (ask_cairn) waits for a model;
 * each of its tools stops at its own limit within it (the others at REQUEST_TIMEOUT_MS).
 */
const longRoutes = new Set([...answerRoutes, mcpRoute]);

/**
 * Each request's time limit (`request.deadline`), and its body's: the body must arrive
 * whole within REQUEST_TIMEOUT_MS of the request's start, on every route, or the request
 * is answered 408 `request_timeout` and its connection closed.
 */
export const requestDeadlinePlugin = fp<{ requestTimeoutMs: number; answerTimeoutMs: number }>(
  async (app, { requestTimeoutMs, answerTimeoutMs }) => {
    app.decorateRequest('deadline', null as unknown as AbortSignal);
    app.addHook('onRequest', async (request, reply) => {
      const limit = longRoutes.has(request.routeOptions.url ?? '') ? answerTimeoutMs : requestTimeoutMs;
      const controller = new AbortController();
      let backstop: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        const error = new CairnError(
          'request_timeout',
          `The request took longer than its limit of ${limit} ms and was stopped; retry, or narrow it.`,
        );
        controller.abort(error);
        // The work under the request answers the abort itself (its own 408, an error event on a stream). Should
        // it not (a hook or a call that takes no signal and hangs: a Redis that stopped answering), the 408 is
        // sent from here, so that no request outlives its limit by more than a moment.
        backstop = setTimeout(() => {
          if (!reply.sent && !reply.raw.headersSent && !reply.raw.destroyed) {
            request.log.warn({ limitMs: limit }, 'request still unanswered past its time limit: answered 408');
            void reply.code(408).send(error);
          }
        }, backstopMs);
        backstop.unref();
      }, limit);
      timer.unref();
      reply.raw.once('close', () => {
        clearTimeout(timer);
        clearTimeout(backstop);
        if (!reply.raw.writableFinished && !controller.signal.aborted) controller.abort(new ClientDisconnectedError());
      });
      request.deadline = controller.signal;
    });
    app.addHook('preParsing', async (request, reply, payload) => {
      if (request.raw.complete) return payload;
      const guarded = bodyWithDeadline(payload, Math.max(0, requestTimeoutMs - reply.elapsedTime), () => {
        reply.header('connection', 'close');
        return new CairnError(
          'request_timeout',
          `The request body did not arrive within the limit of ${requestTimeoutMs} ms from the start of the request; send it whole, without pauses.`,
        );
      });
      // Answered before the body ended (413 for a body over the limit stops reading it): the body's
      // deadline is moot, and must not fire later on a stream nobody listens to (an uncaught error).
      reply.raw.once('close', () => guarded.destroy());
      return guarded;
    });
  },
  { name: 'cairn-request-deadline' },
);
