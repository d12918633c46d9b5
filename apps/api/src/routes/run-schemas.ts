import { Type } from 'typebox';
import { nullableString } from './shared-schemas.js';

/** Where an ingestion run is (runs, and the last run of each source). */
export const RunStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

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
        id: Type.Integer({ description: 'The entry id, in the order the ledger was written' }),
        url: Type.String(),
        httpStatus: Type.Union([Type.Integer(), Type.Null()]),
        outcome: Type.String({ description: 'changed, unchanged, skipped, failed or tombstoned' }),
        chunksAdded: Type.Integer(),
        chunksRemoved: Type.Integer(),
        embeddingTokens: Type.Integer(),
        error: nullableString,
      }),
      { description: 'The per-URL ledger: one page of it (see `hasMore`)' },
    ),
    hasMore: Type.Boolean({ description: 'More ledger entries follow: ask again with `after` set to `nextAfter`' }),
    nextAfter: Type.Union([Type.Integer(), Type.Null()], { description: 'The `after` of the next page, or null for the last' }),
  }),
]);
