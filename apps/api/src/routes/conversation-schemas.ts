import { Type, type Static } from 'typebox';
import { CitationSchema, nullableString } from './shared-schemas.js';

export const MessageSchema = Type.Object({
  id: Type.String(),
  role: Type.Union([Type.Literal('user'), Type.Literal('assistant')]),
  content: Type.String(),
  citations: Type.Array(CitationSchema),
  mode: Type.Union([Type.Literal('llm'), Type.Literal('extractive'), Type.Null()]),
  model: nullableString,
  createdAt: Type.String({ format: 'date-time' }),
});

export const StoredMessageResponse = Type.Intersect([
  MessageSchema,
  Type.Object({
    conversationId: Type.String(),
    question: Type.Union([Type.String(), Type.Null()], {
      description: 'The user turn this answer replied to; null for a user turn (its own text is `content`)',
    }),
  }),
]);

export const ConversationResponse = Type.Object({
  id: Type.String(),
  title: nullableString,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  messages: Type.Array(MessageSchema, { description: 'In order, oldest first: the latest `limit` messages (before `before`)' }),
  hasMore: Type.Boolean({
    description: 'Whether older messages are left out of this page: ask again with `before` set to the first message id given',
  }),
});

export const ConversationQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 500, description: 'How many messages, the latest kept' })),
    before: Type.Optional(Type.String({ description: 'A message id of this conversation: only the messages before it' })),
  },
  { additionalProperties: false },
);

export const FeedbackBody = Type.Object(
  {
    messageId: Type.String(),
    rating: Type.Union([Type.Literal(1), Type.Literal(-1)]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type FeedbackBody = Static<typeof FeedbackBody>;

export const FeedbackResponse = Type.Object({
  id: Type.String(),
  messageId: Type.String(),
  rating: Type.Integer(),
  comment: nullableString,
  createdAt: Type.String({ format: 'date-time' }),
});

export const FeedbackReviewResponse = Type.Object({
  feedback: Type.Array(
    Type.Intersect([
      FeedbackResponse,
      Type.Object({
        conversationId: Type.String(),
        question: Type.Union([Type.String(), Type.Null()], { description: 'The user turn the rated answer replied to' }),
        answer: Type.String(),
        citations: Type.Array(CitationSchema),
        mode: Type.Union([Type.Literal('llm'), Type.Literal('extractive'), Type.Null()]),
        model: nullableString,
      }),
    ]),
  ),
});
