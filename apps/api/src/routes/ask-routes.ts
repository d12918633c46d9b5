import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AskBody, AskResponse, errorResponses } from '../schemas.js';

export const askRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/ask',
    {
      schema: {
        tags: ['answers'],
        summary: 'A grounded answer with numbered citations; pass conversationId to continue a conversation',
        body: AskBody,
        response: { 200: AskResponse, ...errorResponses },
      },
    },
    async (request) => app.cairn.ask.ask(request.body),
  );
};
