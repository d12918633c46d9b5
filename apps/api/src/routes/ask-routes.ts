import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { conversationCaller } from '../auth.js';
import type { AskResult } from '../services/ask-service.js';
import { AskBody, AskResponse } from './ask-schemas.js';
import { errorResponses } from './shared-schemas.js';
import { abortOnDisconnect, openEventStream, streamedError, timedOut, wantsEventStream, type EventStream } from './event-stream.js';

/** Records an answer's retrieval and model time and its outcome. */
export function recordAnswer(app: FastifyInstance, route: string, result: AskResult): void {
  app.metrics.retrievalSeconds.observe({ route }, result.timings.retrieveMs / 1000);
  if (result.mode === 'llm') app.metrics.modelSeconds.observe({ mode: result.mode }, result.timings.modelMs / 1000);
  app.metrics.answers.inc({ mode: result.mode, outcome: result.outcome });
}

export const askRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/ask',
    {
      schema: {
        tags: ['answers'],
        summary: 'A grounded answer with numbered citations; pass conversationId to continue a conversation',
        description:
          "With `Accept: text/event-stream` the answer comes as Server-Sent Events: `candidates` (`{candidates}`: the passages the answer may cite, as soon as retrieval is done, numbered as the model sees them; a model's `token` markers use these numbers), `citations` (`{citations}`: the answer's own citations, numbered as in `done`; an extractive answer sends it before its first token, a model's answer once its citations are verified), `token` (pieces of the answer as it is written: sentence by sentence for an extractive answer), then `done` (the whole response below, with verified citations) or `error` (`{error: {code, message}}`). A candidate and a citation of the same passage share its `chunkId`. Closing the connection cancels the model call.",
        body: AskBody,
        response: { 200: AskResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const controller = new AbortController();
      abortOnDisconnect(reply, controller);
      // Another key's conversation is not found: conversations belong to the key that started them.
      const caller = conversationCaller(request.caller);
      if (!wantsEventStream(request)) {
        try {
          const result = await app.cairn.ask.ask({ ...request.body, caller, signal: controller.signal });
          recordAnswer(app, '/v1/ask', result);
          return result;
        } catch (error) {
          throw timedOut(controller.signal) ? controller.signal.reason : error;
        }
      }
      // The stream opens with the first event: an error before it (bad input) is a plain JSON error.
      let stream: EventStream | undefined;
      const open = () => (stream ??= openEventStream(request, reply));
      try {
        const result = await app.cairn.ask.ask(
          { ...request.body, caller, signal: controller.signal },
          {
            candidates: (candidates) => open().send('candidates', { candidates }),
            citations: (citations) => open().send('citations', { citations }),
            token: (text) => open().send('token', { text }),
          },
        );
        recordAnswer(app, '/v1/ask', result);
        open().send('done', result);
      } catch (error) {
        if (!stream) throw error;
        if (!controller.signal.aborted) open().send('error', streamedError(request, error));
        else if (timedOut(controller.signal)) open().send('error', streamedError(request, controller.signal.reason));
      }
      stream?.end();
      return reply;
    },
  );
};
