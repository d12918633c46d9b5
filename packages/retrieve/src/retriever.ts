import { abortable, type RetrievalMode, type RetrievalRanks, type RetrievedPassage, type SearchFilters } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import type { SearchHit, Store } from '@cairn/store';
import { queryTerms } from '@cairn/text';
import { diversify, fuseRankings, rrfConstant } from './fuse-rankings.js';
import { rankPages } from './page-evidence.js';
import { rerankDepth } from './rerank/feature-reranker.js';
import type { Reranker } from './rerank/reranker.js';

export interface RetrieveOptions {
  k: number;
  filters?: SearchFilters | undefined;
  mode?: RetrievalMode | undefined;
  /** Candidates taken from each list before fusion (default max(50, 4k)). */
  candidates?: number | undefined;
  /** Most chunks of one document in the results (default 2), unless too few documents match. */
  perDocument?: number | undefined;
  /** Whether the reranker (if any) reorders the fused top; hybrid mode only (default true). */
  rerank?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface RetrieveTimings {
  embedMs: number;
  denseMs: number;
  keywordMs: number;
  rerankMs: number;
  totalMs: number;
}

export interface RetrieveResult {
  results: RetrievedPassage[];
  timings: RetrieveTimings;
}

function citationUrl(hit: SearchHit): string {
  // A note links the original it summarises, whose sections our anchors do not name.
  return hit.kind === 'article' && hit.anchor ? `${hit.url}#${hit.anchor}` : hit.url;
}

function toPassage(hit: SearchHit, score: number, ranks: RetrievalRanks): RetrievedPassage {
  return {
    chunkId: hit.chunkId,
    documentId: hit.documentId,
    url: citationUrl(hit),
    title: hit.title,
    author: hit.author,
    source: hit.source,
    kind: hit.kind,
    heading: hit.heading,
    headingPath: hit.headingPath,
    anchor: hit.anchor,
    text: hit.text,
    publishedAt: hit.publishedAt ? new Date(hit.publishedAt).toISOString() : null,
    fetchedAt: hit.fetchedAt ? new Date(hit.fetchedAt).toISOString() : null,
    frameworks: hit.frameworks,
    score,
    ranks,
  };
}

/**
 * Weights of the dense and keyword lists in the fusion, measured with the default local
 * embedder (local-semantic-v2) on the development sets, fused nDCG@10 on staffeng /
 * seangoedecke / starter-notes: dense 1 and keyword 0.5: 0.463 / 0.728 / 0.832; both 1:
 * 0.423 / 0.717 / 0.839; dense 0.5 and keyword 1 (the weights of the hashed v1 embedder,
 * which was weaker than BM25): 0.404 / 0.725 / 0.828. The dense list now carries exact terms
 * and meaning, and is the stronger of the two alone (docs/evaluation.md); with another
 * embedding model, re-run `cairn eval --set` before trusting these weights.
 */
export const fusionWeights = [1, 0.5] as const;

/** How retrieval weighs its evidence (the defaults are measured; see docs/evaluation.md). */
export interface RetrievalTuning {
  /** Weights of the dense and keyword passage lists in the fusion. */
  fusionWeights: readonly [number, number];
  /** Weight of the page's rank (page-level evidence) in a passage's fused score; 0 leaves it out. */
  pageWeight: number;
  /** Passages of one page that count towards its evidence, per list. */
  passagesPerPage: number;
}

export const defaultTuning: RetrievalTuning = { fusionWeights: [...fusionWeights], pageWeight: 1, passagesPerPage: 3 };

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;

/**
 * Hybrid retrieval: a dense list (pgvector HNSW, cosine) and a keyword list (BM25 over
 * the keyword postings) fused by reciprocal rank, then diversified so that no document fills
 * every slot. `mode` picks one list alone, for evaluation and comparison.
 */
export class Retriever {
  constructor(
    private readonly store: Store,
    private readonly embedder: Embedder,
    private readonly defaultMode: RetrievalMode = 'hybrid',
    private readonly options: { tuning?: RetrievalTuning; reranker?: Reranker | undefined } = {},
  ) {}

  /** The reranker's name, or null without one. */
  get reranker(): string | null {
    return this.options.reranker?.name ?? null;
  }

  get mode(): RetrievalMode {
    return this.defaultMode;
  }

  async retrieve(query: string, options: RetrieveOptions): Promise<RetrieveResult> {
    const started = performance.now();
    const mode = options.mode ?? this.defaultMode;
    const candidates = options.candidates ?? Math.max(50, options.k * 4);
    const timings: RetrieveTimings = { embedMs: 0, denseMs: 0, keywordMs: 0, rerankMs: 0, totalMs: 0 };
    const tuning = this.options.tuning ?? defaultTuning;
    const searchOptions = { limit: candidates, filters: options.filters };

    const dense = async (): Promise<SearchHit[]> => {
      if (mode === 'keyword') return [];
      const embedStarted = performance.now();
      const vector = await this.embedder.embedQuery(query, { signal: options.signal });
      timings.embedMs = elapsed(embedStarted);
      const searchStarted = performance.now();
      const hits = await abortable(
        this.store.search.dense({ id: this.embedder.model, dimensions: this.embedder.dimensions }, vector, searchOptions),
        options.signal,
      );
      timings.denseMs = elapsed(searchStarted);
      // Iterative scans return rows in relaxed order: restore exact order by score.
      return hits.sort((a, b) => b.score - a.score);
    };
    const keyword = async (): Promise<SearchHit[]> => {
      if (mode === 'dense') return [];
      const searchStarted = performance.now();
      const hits = await abortable(this.store.search.keyword(queryTerms(query), searchOptions), options.signal);
      timings.keywordMs = elapsed(searchStarted);
      return hits;
    };
    const [denseHits, keywordHits] = await Promise.all([dense(), keyword()]);
    const lists = [denseHits, keywordHits];
    const weights = tuning.fusionWeights;
    const pages = rankPages(lists, (hit) => hit.documentId, { weights, passagesPerPage: tuning.passagesPerPage });
    const fused = fuseRankings(lists, (hit) => hit.chunkId, { weights })
      .map((entry) => {
        if (mode !== 'hybrid') return entry;
        return { ...entry, score: entry.score + tuning.pageWeight / (rrfConstant + pages.get(entry.item.documentId)!.rank) };
      })
      .sort((a, b) => b.score - a.score);
    let scored = fused.map(({ item, score, ranks }, index) => {
      const listScore = mode === 'dense' || mode === 'keyword' ? Number(item.score) : score;
      return toPassage(item, listScore, {
        vector: ranks[0] ?? null,
        keyword: ranks[1] ?? null,
        page: mode === 'hybrid' ? pages.get(item.documentId)!.rank : null,
        fused: index + 1,
        reranked: null,
      });
    });
    const reranker = this.options.reranker;
    if (reranker && mode === 'hybrid' && options.rerank !== false && scored.length > 1) {
      const rerankStarted = performance.now();
      const top = scored.slice(0, rerankDepth);
      const reranked = await reranker.rerank(query, top, { signal: options.signal });
      reranked.forEach((passage, index) => (passage.ranks.reranked = index + 1));
      scored = [...reranked, ...scored.slice(rerankDepth)];
      timings.rerankMs = elapsed(rerankStarted);
    }
    const results = diversify(scored, (passage) => passage.documentId, options.k, options.perDocument ?? 2);
    timings.totalMs = elapsed(started);
    return { results, timings };
  }
}
