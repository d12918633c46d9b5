import { Type, type Static } from 'typebox';
import { limits, nullableString } from './shared-schemas.js';

/** Narrows search and answers to some sources or authors. */
export const Filters = Type.Object(
  {
    sources: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, description: 'Source names' })),
    authors: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, description: 'Author names (case-insensitive)' }),
    ),
  },
  { additionalProperties: false },
);

export const SearchBody = Type.Object(
  {
    query: Type.String({ description: `What to search for (at most ${limits.queryChars} characters)` }),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: limits.maxSearchK, default: 10 })),
    filters: Type.Optional(Filters),
    mode: Type.Optional(
      // An enum, not a union of literals: a wrong value is told the three it may be (describeError).
      Type.Unsafe<'hybrid' | 'dense' | 'keyword'>({
        type: 'string',
        enum: ['hybrid', 'dense', 'keyword'],
        description: 'One list alone, or both fused (the default)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SearchBody = Static<typeof SearchBody>;

const stageRank = (description: string) => Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description });

/**
 * Where a passage ranked at each stage of retrieval, 1-based (search results and the
 * retrieval details of answers): null where the stage did not see it or did not run.
 */
export const Ranks = Type.Object({
  vector: stageRank('Rank in the dense (vector) list, null if absent'),
  keyword: stageRank('Rank in the keyword (BM25) list, null if absent'),
  page: Type.Optional(stageRank("Rank of the passage's page by page-level evidence (hybrid mode), null otherwise")),
  fused: Type.Optional(stageRank('Rank after weighted reciprocal rank fusion (and page evidence)')),
  reranked: Type.Optional(stageRank('Rank after the reranker, among the fused top 50; null without a reranker or below the top 50')),
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
  rerankMs: Type.Number({ description: "The reranker's time (0 when none ran)" }),
  totalMs: Type.Number(),
});

export const SearchResponse = Type.Object({
  results: Type.Array(SearchResult),
  mode: Type.String(),
  reranker: Type.Union([Type.String(), Type.Null()], {
    description:
      'The reranker that ordered the fused top (`features-v1`, `llm`; CAIRN_RERANK), null when none ran (CAIRN_RERANK=off, or a dense or keyword search)',
  }),
  timings: RetrievalTimings,
});
