import { Type, type Static } from 'typebox';

/** Documented limits of the public interface. */
export const limits = { questionChars: 4000, queryChars: 2000, maxSearchK: 50, maxAskK: 20, bodyBytes: 256 * 1024 } as const;

const nullableString = Type.Union([Type.String(), Type.Null()]);

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { $id: 'ErrorResponse', description: 'Every error: a stable code (see docs/errors.md) and a message that says what to do.' },
);

export const Filters = Type.Object(
  {
    sources: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, description: 'Source names' })),
    authors: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, description: 'Author names (case-insensitive)' })),
  },
  { additionalProperties: false },
);

export const SearchBody = Type.Object(
  {
    query: Type.String({ description: `What to search for (at most ${limits.queryChars} characters)` }),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: limits.maxSearchK, default: 10 })),
    filters: Type.Optional(Filters),
    mode: Type.Optional(Type.Union([Type.Literal('hybrid'), Type.Literal('dense'), Type.Literal('keyword')], { description: 'One list alone, or both fused (the default)' })),
  },
  { additionalProperties: false },
);
export type SearchBody = Static<typeof SearchBody>;

const Ranks = Type.Object({
  vector: Type.Union([Type.Integer(), Type.Null()], { description: '1-based rank in the dense list, null if absent' }),
  keyword: Type.Union([Type.Integer(), Type.Null()], { description: '1-based rank in the keyword list, null if absent' }),
});

export const SearchResult = Type.Object({
  chunkId: Type.String(),
  documentId: Type.String(),
  url: Type.String({ description: 'url#anchor of the section; for a note, the original it summarises' }),
  title: Type.String(),
  author: nullableString,
  source: Type.String(),
  kind: Type.Union([Type.Literal('article'), Type.Literal('note')]),
  heading: Type.String(),
  text: Type.String(),
  publishedAt: nullableString,
  score: Type.Number(),
  ranks: Ranks,
});

export const RetrievalTimings = Type.Object({
  embedMs: Type.Number(),
  denseMs: Type.Number(),
  keywordMs: Type.Number(),
  totalMs: Type.Number(),
});

export const SearchResponse = Type.Object({
  results: Type.Array(SearchResult),
  mode: Type.String(),
  timings: RetrievalTimings,
});

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

export const CitationSchema = Type.Object({
  n: Type.Integer(),
  url: Type.String(),
  title: Type.String(),
  author: nullableString,
  source: Type.String(),
  heading: Type.String(),
  quote: Type.String({ description: 'A verbatim span of the cited passage' }),
  chunkId: Type.String(),
  kind: Type.Union([Type.Literal('article'), Type.Literal('note')], { description: 'note: one of our notes; url links the original it summarises' }),
  publishedAt: nullableString,
  fetchedAt: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'When the cited page was last crawled' })),
});

export const RetrievedSchema = Type.Object({
  rank: Type.Integer({ description: '1-based rank after fusion' }),
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
  retrieval: Type.Array(RetrievedSchema, { description: 'Every passage retrieval returned, with its scores and ranks (the retrieval details)' }),
  timings: Type.Object({
    condenseMs: Type.Number({ description: 'making a follow-up standalone' }),
    retrieveMs: Type.Number(),
    composeMs: Type.Number({ description: "Cairn's own work on the answer: prompt, verification (extractive: the whole composition)" }),
    modelMs: Type.Number({ description: "the chat model's time (0 in extractive mode)" }),
    totalMs: Type.Number(),
  }),
});

export const MessageSchema = Type.Object({
  id: Type.String(),
  role: Type.Union([Type.Literal('user'), Type.Literal('assistant')]),
  content: Type.String(),
  citations: Type.Array(CitationSchema),
  mode: Type.Union([Type.Literal('llm'), Type.Literal('extractive'), Type.Null()]),
  model: nullableString,
  createdAt: Type.String({ format: 'date-time' }),
});

export const ConversationResponse = Type.Object({
  id: Type.String(),
  title: nullableString,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  messages: Type.Array(MessageSchema),
});

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

const regexList = Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 50, description: 'Regular expressions matched against the normalised URL' });

export const SourceBody = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Lower-case letters, digits, dot, dash, underscore' }),
    baseUrl: Type.String({ pattern: '^https?://', maxLength: 2000, description: 'The site; only URLs on its host and under its path are crawled' }),
    seeds: Type.Optional(Type.Array(Type.String({ pattern: '^https?://', maxLength: 2000 }), { maxItems: 50, description: 'Sitemaps, feeds or start pages (default: /sitemap.xml and the base URL)' })),
    include: Type.Optional(regexList),
    exclude: Type.Optional(regexList),
    maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    crawlDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    schedule: Type.Optional(Type.Union([Type.String({ pattern: '^\\S+( \\S+){4}$', description: 'cron, five fields' }), Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SourceBody = Static<typeof SourceBody>;

export const SourcePatch = Type.Partial(SourceBody, { additionalProperties: false });
export type SourcePatch = Static<typeof SourcePatch>;

export const SourceResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('web'), Type.Literal('directory')]),
  baseUrl: Type.String(),
  seeds: Type.Array(Type.String()),
  include: Type.Array(Type.String()),
  exclude: Type.Array(Type.String()),
  maxPages: Type.Integer(),
  crawlDelayMs: Type.Integer(),
  schedule: nullableString,
  enabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const RunStatus = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')]);

export const SourceListResponse = Type.Object({
  staleAfterDays: Type.Integer({ description: 'A page fetched longer ago than this counts as stale' }),
  sources: Type.Array(
    Type.Intersect([
      SourceResponse,
      Type.Object({
        documents: Type.Integer(),
        tombstoned: Type.Integer({ description: 'pages that vanished' }),
        stale: Type.Integer({ description: 'active pages last fetched more than staleAfterDays ago' }),
        lastRun: Type.Union([
          Type.Object({ id: Type.String(), status: RunStatus, createdAt: Type.String({ format: 'date-time' }), finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) }),
          Type.Null(),
        ]),
        chunks: Type.Integer(),
        oldestFetch: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        newestFetch: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      }),
    ]),
  ),
});

const RunCounts = Type.Object({
  discovered: Type.Integer(),
  fetched: Type.Integer(),
  unchanged: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  chunksAdded: Type.Integer(),
  chunksRemoved: Type.Integer(),
});

export const RunResponse = Type.Object({
  id: Type.String(),
  sourceId: nullableString,
  trigger: Type.String(),
  status: RunStatus,
  counts: RunCounts,
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  error: Type.Optional(nullableString),
});

export const RunDetailResponse = Type.Intersect([
  RunResponse,
  Type.Object({
    items: Type.Array(
      Type.Object({
        url: Type.String(),
        httpStatus: Type.Union([Type.Integer(), Type.Null()]),
        outcome: Type.String({ description: 'changed, unchanged, skipped, failed or tombstoned' }),
        chunksAdded: Type.Integer(),
        chunksRemoved: Type.Integer(),
        embeddingTokens: Type.Integer(),
        error: nullableString,
      }),
      { description: 'The per-URL ledger' },
    ),
  }),
]);

/** Standard error responses, for the OpenAPI document. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  408: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
  429: ErrorResponse,
  500: ErrorResponse,
  503: ErrorResponse,
} as const;
