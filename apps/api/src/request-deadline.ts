import fp from 'fastify-plugin';
import { CairnError } from '@cairn/core';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Aborts when the request runs past its time limit (reason: a `request_timeout`
     * CairnError) or its client goes away: pass it to database and model calls.
     */
    deadline: AbortSignal;
  }
}

/** Routes that wait for a chat model get its timeout plus 10 s; the rest REQUEST_TIMEOUT_MS. */
export const answerRoutes = new Set(['/v1/ask', '/v1/chat/completions']);

export const requestDeadlinePlugin = fp<{ requestTimeoutMs: number; answerTimeoutMs: number }>(
  async (app, { requestTimeoutMs, answerTimeoutMs }) => {
    app.decorateRequest('deadline', null as unknown as AbortSignal);
    app.addHook('onRequest', async (request, reply) => {
      const limit = answerRoutes.has(request.routeOptions.url ?? '') ? answerTimeoutMs : requestTimeoutMs;
      const controller = new AbortController();
      const timer = setTimeout(() => {
        controller.abort(
          new CairnError('request_timeout', `The request took longer than its limit of ${limit} ms and was stopped; retry, or narrow it.`),
        );
      }, limit);
      timer.unref();
      reply.raw.once('close', () => {
        clearTimeout(timer);
        if (!reply.raw.writableFinished && !controller.signal.aborted) controller.abort(new Error('the client disconnected'));
      });
      request.deadline = controller.signal;
    });
  },
  { name: 'cairn-request-deadline' },
);
