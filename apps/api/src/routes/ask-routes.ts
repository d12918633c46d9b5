import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AskBody, AskResponse, errorResponses } from '../schemas.js';
import { abortOnDisconnect, openEventStream, streamedError, wantsEventStream, type EventStream } from './event-stream.js';

export const askRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/ask',
    {
      schema: {
        tags: ['answers'],
        summary: 'A grounded answer with numbered citations; pass conversationId to continue a conversation',
        description:
          'With `Accept: text/event-stream` the answer comes as Server-Sent Events: `citations` (the numbered passages, as soon as retrieval is done), `token` (pieces of the answer as it is written), then `done` (the whole response below, with verified citations) or `error` (`{error: {code, message}}`). Closing the connection cancels the model call.',
        body: AskBody,
        response: { 200: AskResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const controller = new AbortController();
      abortOnDisconnect(reply, controller);
      if (!wantsEventStream(request)) return app.cairn.ask.ask({ ...request.body, signal: controller.signal });
      // The stream opens with the first event: an error before it (bad input) is a plain JSON error.
      let stream: EventStream | undefined;
      const open = () => (stream ??= openEventStream(request, reply));
      try {
        const result = await app.cairn.ask.ask(
          { ...request.body, signal: controller.signal },
          { citations: (citations) => open().send('citations', { citations }), token: (text) => open().send('token', { text }) },
        );
        open().send('done', result);
      } catch (error) {
        if (!stream) throw error;
        if (!controller.signal.aborted) open().send('error', streamedError(request, error));
      }
      stream?.end();
      return reply;
    },
  );
};
