import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Citation } from '@cairn/answer';
import { CairnError } from '@cairn/core';
import { conversationReader, raterOf } from '../auth.js';
import { isUuid } from '@cairn/store';
import {
  ConversationQuery,
  ConversationResponse,
  FeedbackBody,
  FeedbackResponse,
  FeedbackReviewResponse,
  StoredMessageResponse,
} from './conversation-schemas.js';
import { errorResponses } from './shared-schemas.js';

export const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/conversations/:id',
    {
      schema: {
        tags: ['answers'],
        summary: 'A conversation with its messages and their citations',
        description:
          'The latest 500 messages (fewer with `limit`), oldest first; `hasMore` says whether older ones are left out, and `before` (the first message id of a page) asks for the page before it.',
        params: Type.Object({ id: Type.String() }),
        querystring: ConversationQuery,
        response: { 200: ConversationResponse, ...errorResponses },
      },
    },
    async (request) => {
      // Another key's conversation is not found, rather than forbidden: its id says nothing.
      const { limit = 500, before } = request.query;
      const conversation = await app.cairn.store.conversations.find(request.params.id, conversationReader(request.caller), {
        limit,
        before,
      });
      if (!conversation) throw new CairnError('conversation_not_found', `No conversation has the id ${JSON.stringify(request.params.id)}.`);
      return {
        ...conversation,
        createdAt: conversation.createdAt.toISOString(),
        updatedAt: conversation.updatedAt.toISOString(),
        hasMore: conversation.hasMore ?? false,
        // Citations are stored as the composer produced them.
        messages: conversation.messages.map((message) => ({
          ...message,
          citations: message.citations as Citation[],
          createdAt: message.createdAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/v1/messages/:id',
    {
      schema: {
        tags: ['answers'],
        summary: 'One stored message (an answer, with its citations and the question it replied to): what a permalink shows',
        description:
          "An `ask` key reads the messages of its own conversations only; an admin key reads any. Another key's message is `404 message_not_found`, like an unknown one.",
        params: Type.Object({ id: Type.String({ description: 'The messageId that /v1/ask returned' }) }),
        response: { 200: StoredMessageResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!isUuid(id))
        throw new CairnError(
          'invalid_request',
          `params.id must be a UUID, the messageId that /v1/ask returned; got ${JSON.stringify(id)}.`,
        );
      const message = await app.cairn.store.conversations.findMessage(id, conversationReader(request.caller));
      if (!message) throw new CairnError('message_not_found', `No message has the id ${JSON.stringify(id)}.`);
      return { ...message, citations: message.citations as Citation[], createdAt: message.createdAt.toISOString() };
    },
  );

  app.post(
    '/v1/feedback',
    {
      schema: {
        tags: ['answers'],
        summary: 'Rate an answer (1 or -1) with an optional comment',
        description:
          'Each caller (API key) rates an answer once: rating it again, a retried request or a change of mind, replaces the earlier rating and its comment, and returns the same id.',
        body: FeedbackBody,
        response: { 201: FeedbackResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { messageId, rating, comment } = request.body;
      const role = await app.cairn.store.conversations.messageRole(messageId, conversationReader(request.caller));
      if (!role) {
        throw new CairnError(
          'message_not_found',
          `No message has the id ${JSON.stringify(messageId)}; rate the messageId that /v1/ask returned.`,
        );
      }
      if (role !== 'assistant')
        throw new CairnError(
          'invalid_request',
          `body.messageId: ${messageId} is a question; rate the answer, the messageId that /v1/ask returned.`,
        );
      const feedback = await app.cairn.store.feedback.add({
        messageId,
        rating,
        comment: comment?.trim() || null,
        rater: raterOf(request.caller),
      });
      return reply.status(201).send({ ...feedback, createdAt: feedback.createdAt.toISOString() });
    },
  );

  app.get(
    '/v1/feedback',
    {
      schema: {
        tags: ['answers'],
        summary: 'Rated answers, newest first, with their questions and citations',
        querystring: Type.Object({
          rating: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(-1)], { description: 'Only thumbs up (1) or down (-1)' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: { 200: FeedbackReviewResponse, ...errorResponses },
      },
    },
    async (request) => {
      const rows = await app.cairn.store.feedback.review({ limit: request.query.limit ?? 50, rating: request.query.rating });
      return { feedback: rows.map((row) => ({ ...row, citations: row.citations as Citation[], createdAt: row.createdAt.toISOString() })) };
    },
  );
};
