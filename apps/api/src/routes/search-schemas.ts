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
      Type.Union([Type.Literal('hybrid'), Type.Literal('dense'), Type.Literal('keyword')], {
        description: 'One list alone, or both fused (the default)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SearchBody = Static<typeof SearchBody>;

/** Where a passage ranked in each list before fusion (search results and the retrieval details of answers). */
export const Ranks = Type.Object({
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
