import { Type, type Static } from 'typebox';
import { Filters, Ranks } from './search-schemas.js';
import { CitationSchema, limits } from './shared-schemas.js';

export const AskBody = Type.Object(
  {
    question: Type.String({ description: `The question (at most ${limits.questionChars} characters)` }),
    conversationId: Type.Optional(Type.String({ description: 'Continue this conversation' })),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: limits.maxAskK, default: 6 })),
    filters: Type.Optional(Filters),
  },
  { additionalProperties: false },
);
export type AskBody = Static<typeof AskBody>;

export const RetrievedSchema = Type.Object({
  rank: Type.Integer({ description: '1-based rank in the results (after fusion and reranking)' }),
  chunkId: Type.String(),
  url: Type.String(),
  title: Type.String(),
  source: Type.String(),
  heading: Type.String(),
  score: Type.Number({ description: 'The fused score' }),
  ranks: Ranks,
  inPrompt: Type.Boolean({ description: 'Whether the passage was given to the composer or model (the context budget may leave some out)' }),
});

export const AskResponse = Type.Object({
  answer: Type.String(),
  citations: Type.Array(CitationSchema),
  conversationId: Type.String(),
  messageId: Type.String(),
  mode: Type.Union([Type.Literal('llm'), Type.Literal('extractive')]),
  model: Type.String(),
  outcome: Type.Union([Type.Literal('answered'), Type.Literal('refused'), Type.Literal('no_support')]),
  clarifyingQuestions: Type.Array(Type.String()),
  standaloneQuestion: Type.String({ description: 'What retrieval searched for: the question, or a follow-up made standalone' }),
  retrieval: Type.Array(RetrievedSchema, {
    description: 'Every passage retrieval returned, with its scores and ranks (the retrieval details)',
  }),
  timings: Type.Object({
    condenseMs: Type.Number({ description: 'making a follow-up standalone' }),
    retrieveMs: Type.Number(),
    composeMs: Type.Number({ description: "Cairn's own work on the answer: prompt, verification (extractive: the whole composition)" }),
    modelMs: Type.Number({ description: "the chat model's time (0 in extractive mode)" }),
    totalMs: Type.Number(),
  }),
});
