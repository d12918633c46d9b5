/** The shapes of the API's responses that the UI reads (see /openapi.json). */

export interface Citation {
  n: number;
  url: string;
  title: string;
  author: string | null;
  source: string;
  heading: string;
  quote: string;
  chunkId: string;
  kind: 'article' | 'note';
  publishedAt: string | null;
  fetchedAt?: string | null;
}

export interface Ranks {
  vector: number | null;
  keyword: number | null;
}

export interface RetrievedPassage {
  rank: number;
  chunkId: string;
  url: string;
  title: string;
  source: string;
  heading: string;
  score: number;
  ranks: Ranks;
  inPrompt: boolean;
}

export interface AskResult {
  answer: string;
  citations: Citation[];
  conversationId: string;
  messageId: string;
  mode: 'llm' | 'extractive';
  model: string;
  outcome: 'answered' | 'refused' | 'no_support';
  clarifyingQuestions: string[];
  standaloneQuestion: string;
  retrieval: RetrievedPassage[];
  timings: { condenseMs: number; retrieveMs: number; composeMs: number; modelMs: number; totalMs: number };
}

export interface SearchResult {
  chunkId: string;
  documentId: string;
  url: string;
  title: string;
  author: string | null;
  source: string;
  kind: 'article' | 'note';
  heading: string;
  text: string;
  publishedAt: string | null;
  score: number;
  ranks: Ranks;
}

export interface SearchResponse {
  results: SearchResult[];
  mode: string;
  timings: { embedMs: number; denseMs: number; keywordMs: number; totalMs: number };
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Source {
  id: string;
  name: string;
  kind: 'web' | 'directory';
  baseUrl: string;
  seeds: string[];
  include: string[];
  exclude: string[];
  maxPages: number;
  crawlDelayMs: number;
  schedule: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  documents: number;
  tombstoned: number;
  stale: number;
  chunks: number;
  oldestFetch: string | null;
  newestFetch: string | null;
  lastRun: { id: string; status: RunStatus; createdAt: string; finishedAt: string | null } | null;
}

export interface SourceList {
  staleAfterDays: number;
  sources: Source[];
}

/** What the source form sends (POST creates, PATCH changes). */
export interface SourceSettings {
  name: string;
  baseUrl: string;
  seeds: string[];
  include: string[];
  exclude: string[];
  maxPages: number;
  crawlDelayMs: number;
  schedule: string | null;
  enabled: boolean;
}

export interface RunCounts {
  discovered: number;
  fetched: number;
  unchanged: number;
  skipped: number;
  failed: number;
  chunksAdded: number;
  chunksRemoved: number;
}

export interface Run {
  id: string;
  sourceId: string | null;
  trigger: string;
  status: RunStatus;
  counts: RunCounts;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error?: string | null;
}

export interface RunItem {
  url: string;
  httpStatus: number | null;
  outcome: string;
  chunksAdded: number;
  chunksRemoved: number;
  embeddingTokens: number;
  error: string | null;
}

export interface RunDetail extends Run {
  items: RunItem[];
}

export interface FeedbackReview {
  id: string;
  messageId: string;
  rating: 1 | -1;
  comment: string | null;
  createdAt: string;
  conversationId: string;
  question: string | null;
  answer: string;
  citations: Citation[];
  mode: 'llm' | 'extractive' | null;
  model: string | null;
}
