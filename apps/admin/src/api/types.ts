/**
 * The shapes of the API's responses, derived from the route schemas the API validates
 * and documents (the route schemas in apps/api/src/routes), so that the UI cannot drift from the API.
 * Type-only: nothing of the server reaches the bundle.
 */
import type { Static } from 'typebox';
import type {
  AskResponse,
  CitationSchema,
  FeedbackReviewResponse,
  RetrievedSchema,
  RunDetailResponse,
  RunResponse,
  SearchResponse as SearchResponseSchema,
  SourceBody,
  SourceListResponse,
  StoredMessageResponse,
} from '@cairn/api';

export type Citation = Static<typeof CitationSchema>;
export type RetrievedPassage = Static<typeof RetrievedSchema>;
export type Ranks = RetrievedPassage['ranks'];
export type AskResult = Static<typeof AskResponse>;
export type SearchResponse = Static<typeof SearchResponseSchema>;
export type SearchResult = SearchResponse['results'][number];
export type SourceList = Static<typeof SourceListResponse>;
export type Source = SourceList['sources'][number];
export type FreshnessBucket = Source['freshness'][number];
/** A stored message (GET /v1/messages/:id): what an answer's permalink shows. */
export type StoredMessage = Static<typeof StoredMessageResponse>;
/** What the source form sends (POST creates, PATCH changes). */
export type SourceSettings = Required<Omit<Static<typeof SourceBody>, 'schedule'>> & { schedule: string | null };
export type Run = Static<typeof RunResponse>;
export type RunStatus = Run['status'];
export type RunCounts = Run['counts'];
export type RunDetail = Static<typeof RunDetailResponse>;
export type RunItem = RunDetail['items'][number];
export type FeedbackReview = Static<typeof FeedbackReviewResponse>['feedback'][number];
