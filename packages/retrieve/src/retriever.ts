import { abortable, type RetrievalMode, type RetrievalRanks, type RetrievedPassage, type SearchFilters } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import type { CandidateLists, SearchCandidate, SearchPassage, Store } from '@cairn/store';
import { queryTerms } from '@cairn/text';
import { CorpusTermWeights } from './corpus-term-weights.js';
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
  /** Embedding the query, its terms weighted by the corpus (see CorpusTermWeights). */
  embedMs: number;
  /** The dense list's statement (with both lists in one statement: that statement). */
  denseMs: number;
  /** The keyword list's statement (with both lists in one statement, or ranked from the corpus held in memory: that time, as denseMs). */
  keywordMs: number;
  /** Loading the text and citation fields of the passages returned (and of the reranker's candidates when it reads text). */
  hydrateMs: number;
  rerankMs: number;
  totalMs: number;
}

export interface RetrieveResult {
  results: RetrievedPassage[];
  timings: RetrieveTimings;
}

/** What the lists are asked for: with `pages`, page-level keyword evidence too (hybrid mode). */
type ListsOptions = RetrieveOptions & { pages: boolean };

/** The dense and keyword lists (in that order), and the page-level keyword evidence where asked for. */
interface Lists {
  lists: [SearchCandidate[], SearchCandidate[]];
  pages?: Map<string, number> | undefined;
  /** The corpus's version the lists saw, when known (CandidateLists.corpusVersion): passages then come from memory if it holds that version. */
  corpusVersion?: string | undefined;
}

/** A fused candidate on its way through retrieval: its list row, score and ranks. */
interface Ranked {
  candidate: SearchCandidate;
  score: number;
  ranks: RetrievalRanks;
}

function citationUrl(passage: SearchPassage): string {
  // A note links the original it summarises, whose sections our anchors do not name.
  return passage.kind === 'article' && passage.anchor ? `${passage.url}#${passage.anchor}` : passage.url;
}

function toPassage({ score, ranks }: Ranked, passage: SearchPassage): RetrievedPassage {
  return {
    chunkId: passage.chunkId,
    documentId: passage.documentId,
    url: citationUrl(passage),
    title: passage.title,
    author: passage.author,
    source: passage.source,
    kind: passage.kind,
    heading: passage.heading,
    headingPath: passage.headingPath,
    anchor: passage.anchor,
    text: passage.text,
    publishedAt: passage.publishedAt ? new Date(passage.publishedAt).toISOString() : null,
    fetchedAt: passage.fetchedAt ? new Date(passage.fetchedAt).toISOString() : null,
    frameworks: passage.frameworks,
    score,
    ranks,
  };
}

/** A candidate as a reranker that reads no text gets it (Reranker.readsText): text and citation fields empty. */
function unloadedPassage({ candidate, score, ranks }: Ranked): RetrievedPassage {
  return {
    chunkId: candidate.chunkId,
    documentId: candidate.documentId,
    url: '',
    title: '',
    author: null,
    source: '',
    kind: candidate.kind,
    heading: '',
    headingPath: [],
    anchor: null,
    text: '',
    publishedAt: null,
    fetchedAt: null,
    frameworks: [],
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
  /**
   * Weight of a page's rank by page-level keyword evidence (each query term's best passage
   * in the page, see pageScores in @cairn/store's search-queries.ts) in the page's evidence; 0 leaves it out.
   */
  pageKeywordWeight: number;
  /** Passages of one page that count towards its evidence, per list. */
  passagesPerPage: number;
  /** A page's evidence is divided by its length in passages to this power (see rankPages); 0 leaves length out. */
  pageLengthExponent: number;
  /**
   * The query's terms weigh as their inverse document frequency in the corpus to this power,
   * in the query's embedding (see CorpusTermWeights; embedders that weigh words apply it); 0
   * embeds the query as it is.
   */
  queryTermExponent: number;
}

/**
 * Measured on the development sets with local-semantic-v2 (docs/evaluation.md, issue 16): the
 * query's terms weighted by √idf raised the dense list's nDCG@10 by 0.025 on the mean of the
 * four sets (0.626 → 0.651), and with page evidence normalised by length^0.3 as well the
 * reranked stage rose from 0.657 to 0.679 (seangoedecke 0.725 → 0.773, staffeng 0.472 →
 * 0.507, the starter notes and excerpts within 0.002); each change alone gained under half of
 * that. Length exponents 0.2 to 0.5, and term exponents 0.5 to 1, scored within 0.008.
 */
export const defaultTuning: RetrievalTuning = {
  fusionWeights: [...fusionWeights],
  pageWeight: 1,
  pageKeywordWeight: 1,
  passagesPerPage: 3,
  pageLengthExponent: 0.3,
  queryTermExponent: 0.5,
};

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;

/**
 * How the two lists of a hybrid search go to the database: `one` statement (one round trip,
 * sent once the query's vector is at hand), or `two` run side by side (the keyword list
 * starts without waiting for the vector). Measured over the starter corpus (docs/benchmarks.md).
 */
export type ListStatements = 'one' | 'two';

export interface RetrieverOptions {
  tuning?: RetrievalTuning | undefined;
  reranker?: Reranker | undefined;
  /** Default: as measured for the store's database and the embedder (see defaultListStatements). */
  listStatements?: ListStatements | undefined;
}

/**
 * The faster form of the lists, as measured (docs/benchmarks.md): one statement on PGlite,
 * whose one connection runs two statements one after the other anyway, when the query's
 * vector comes from a local model (`local-…`, computed at once); two otherwise, so that
 * server Postgres runs the lists on two connections, and the keyword list runs during a
 * remote embedder's call.
 */
export function defaultListStatements(runtime: 'postgres' | 'pglite', embeddingModel: string): ListStatements {
  return runtime === 'pglite' && embeddingModel.startsWith('local-') ? 'one' : 'two';
}

/**
 * Hybrid retrieval: a dense list (pgvector HNSW, cosine) and a keyword list (BM25 over
 * the keyword postings) fused by reciprocal rank, then diversified so that no document fills
 * every slot. `mode` picks one list alone, for evaluation and comparison.
 *
 * The lists carry chunk ids, scores and what ranking reads (SearchCandidate); one more
 * statement loads the text and citation fields of the passages returned, and, before the
 * reranker runs, of its candidates when it reads text (Reranker.readsText).
 */
export class Retriever {
  private readonly termWeights: CorpusTermWeights | undefined;

  constructor(
    private readonly store: Store,
    private readonly embedder: Embedder,
    private readonly defaultMode: RetrievalMode = 'hybrid',
    private readonly options: RetrieverOptions = {},
  ) {
    const exponent = (options.tuning ?? defaultTuning).queryTermExponent;
    this.termWeights = exponent !== 0 ? new CorpusTermWeights(exponent) : undefined;
  }

  /** The reranker's name, or null without one. */
  get reranker(): string | null {
    return this.options.reranker?.name ?? null;
  }

  get mode(): RetrievalMode {
    return this.defaultMode;
  }

  /** How the two lists of a hybrid search go to the database. */
  get listStatements(): ListStatements {
    return this.options.listStatements ?? defaultListStatements(this.store.database.runtime, this.embedder.model);
  }

  async retrieve(query: string, options: RetrieveOptions): Promise<RetrieveResult> {
    const started = performance.now();
    const mode = options.mode ?? this.defaultMode;
    const timings: RetrieveTimings = { embedMs: 0, denseMs: 0, keywordMs: 0, hydrateMs: 0, rerankMs: 0, totalMs: 0 };
    const tuning = this.options.tuning ?? defaultTuning;
    const withPages = mode === 'hybrid' && tuning.pageKeywordWeight !== 0;
    const { lists, pages: pageKeyword, corpusVersion } = await this.lists(query, mode, { ...options, pages: withPages }, timings);
    const weights = tuning.fusionWeights;
    const lengths =
      mode === 'hybrid' && tuning.pageLengthExponent !== 0
        ? await abortable(this.store.search.pageLengths(lists.flat().map((candidate) => candidate.documentId)), options.signal)
        : undefined;
    const pages = rankPages(lists, (candidate) => candidate.documentId, {
      weights,
      passagesPerPage: tuning.passagesPerPage,
      lengthOf: lengths && ((documentId) => lengths.get(documentId)),
      lengthExponent: tuning.pageLengthExponent,
      pageList: pageKeyword && { pages: [...pageKeyword.keys()], weight: tuning.pageKeywordWeight },
    });
    const fused = fuseRankings(lists, (candidate) => candidate.chunkId, { weights })
      .map((entry) => {
        if (mode !== 'hybrid') return entry;
        return { ...entry, score: entry.score + tuning.pageWeight / (rrfConstant + pages.get(entry.item.documentId)!.rank) };
      })
      .sort((a, b) => b.score - a.score);
    let ranked: Ranked[] = fused.map(({ item, score, ranks }, index) => ({
      candidate: item,
      score: mode === 'dense' || mode === 'keyword' ? item.score : score,
      ranks: {
        vector: ranks[0] ?? null,
        keyword: ranks[1] ?? null,
        page: mode === 'hybrid' ? pages.get(item.documentId)!.rank : null,
        fused: index + 1,
        reranked: null,
      },
    }));

    // Text and citation fields, loaded once per chunk; a chunk whose page went away since
    // the lists ran is dropped from the ranking.
    const loaded = new Map<string, SearchPassage>();
    const load = async (items: readonly Ranked[]): Promise<void> => {
      const wanted = items.map((item) => item.candidate.chunkId).filter((chunkId) => !loaded.has(chunkId));
      if (wanted.length === 0) return;
      const loadStarted = performance.now();
      for (const passage of await abortable(this.store.search.passages(wanted, { corpusVersion }), options.signal))
        loaded.set(passage.chunkId, passage);
      timings.hydrateMs += elapsed(loadStarted);
      const gone = new Set(wanted.filter((chunkId) => !loaded.has(chunkId)));
      if (gone.size > 0) ranked = ranked.filter((item) => !gone.has(item.candidate.chunkId));
    };

    const reranker = this.options.reranker;
    if (reranker && mode === 'hybrid' && options.rerank !== false && ranked.length > 1) {
      if (reranker.readsText !== false) await load(ranked.slice(0, rerankDepth));
      const rerankStarted = performance.now();
      const top = ranked.slice(0, rerankDepth);
      const byChunk = new Map(top.map((item) => [item.candidate.chunkId, item]));
      const passages = top.map((item) => {
        const passage = loaded.get(item.candidate.chunkId);
        return passage ? toPassage(item, passage) : unloadedPassage(item);
      });
      const reranked = (await reranker.rerank(query, passages, { signal: options.signal })).flatMap(
        (passage) => byChunk.get(passage.chunkId) ?? [],
      );
      reranked.forEach((item, index) => (item.ranks.reranked = index + 1));
      ranked = [...reranked, ...ranked.slice(rerankDepth)];
      timings.rerankMs = elapsed(rerankStarted);
    }

    const perDocument = options.perDocument ?? 2;
    let chosen = diversify(ranked, (item) => item.candidate.documentId, options.k, perDocument);
    for (let attempt = 1; chosen.some((item) => !loaded.has(item.candidate.chunkId)); attempt += 1) {
      await load(chosen);
      // Pages that went away in between leave their slots to the next candidates (a few tries at most).
      const next = diversify(ranked, (item) => item.candidate.documentId, options.k, perDocument);
      chosen = attempt < 3 ? next : next.filter((item) => loaded.has(item.candidate.chunkId));
    }
    const results = chosen.map((item) => toPassage(item, loaded.get(item.candidate.chunkId)!));
    timings.totalMs = elapsed(started);
    return { results, timings };
  }

  /**
   * The dense and keyword lists (an empty one for the list a single-list mode leaves out). The
   * query's term weights come from the statistics keyword search holds; each list returns the
   * statistics' fingerprint, and lists that found them changed (ingestion refreshed them) run
   * once more with the weights of the new ones.
   */
  private async lists(query: string, mode: RetrievalMode, options: ListsOptions, timings: RetrieveTimings): Promise<Lists> {
    for (let attempt = 0; ; attempt += 1) {
      const statistics =
        mode !== 'keyword' && this.termWeights ? await abortable(this.store.search.currentTermStatistics(), options.signal) : undefined;
      const lists = await this.listsWith(query, mode, options, timings, statistics && this.termWeights?.weigher(statistics));
      if (!statistics || attempt > 0) return lists;
      const current = await abortable(this.store.search.currentTermStatistics(), options.signal);
      if (current.fingerprint === statistics.fingerprint) return lists;
    }
  }

  private async listsWith(
    query: string,
    mode: RetrievalMode,
    options: ListsOptions,
    timings: RetrieveTimings,
    termWeight: ((term: string) => number) | undefined,
  ): Promise<Lists> {
    const { signal } = options;
    const listOptions = { limit: options.candidates ?? Math.max(50, options.k * 4), filters: options.filters, pages: options.pages };
    const embedStarted = performance.now();
    // The model is read as the query is embedded: an embedder that switches models
    // (SwitchingEmbedder) may switch at any time, and the vector must be searched among its
    // own model's vectors.
    const embedded =
      mode === 'keyword'
        ? undefined
        : (async () => {
            const model = {
              id: this.embedder.model,
              dimensions: this.embedder.dimensions,
              meaningDimensions: this.embedder.meaningDimensions,
            };
            const vector = await this.embedder.embedQuery(query, { signal, termWeight });
            timings.embedMs = elapsed(embedStarted);
            return { model, vector };
          })();
    // One statement, or when the corpus is held in memory none but a read of its version (both
    // lists are then ranked there: SearchRepository.holdsCorpus).
    if (mode === 'hybrid' && (this.listStatements === 'one' || this.store.search.holdsCorpus(this.embedder.model, options.filters))) {
      const searchStarted = performance.now();
      const { model, vector } = (await embedded)!;
      const lists = await abortable(this.store.search.candidateLists(model, vector, queryTerms(query), listOptions), signal);
      timings.denseMs = timings.keywordMs = elapsed(searchStarted);
      return { lists: [lists.dense, lists.keyword], pages: lists.pages, corpusVersion: lists.corpusVersion };
    }
    const keyword = async (): Promise<Omit<CandidateLists, 'dense'>> => {
      if (mode === 'dense') return { keyword: [] };
      const searchStarted = performance.now();
      const list = await abortable(this.store.search.keywordCandidateList(queryTerms(query), listOptions), signal);
      timings.keywordMs = elapsed(searchStarted);
      return list;
    };
    const dense = async (): Promise<SearchCandidate[]> => {
      if (!embedded) return [];
      const { model, vector } = await embedded;
      const searchStarted = performance.now();
      const hits = await abortable(this.store.search.denseCandidates(model, vector, listOptions, queryTerms(query)), signal);
      timings.denseMs = elapsed(searchStarted);
      return hits;
    };
    const [keywordList, denseHits] = await Promise.all([keyword(), dense()]);
    // The corpus's version the keyword list saw, so that a corpus that stays still comes to be held in memory.
    if (embedded && keywordList.corpusVersion) {
      const { model, vector } = await embedded;
      this.store.search.noteVersion(model, vector, keywordList.corpusVersion);
    }
    return { lists: [denseHits, keywordList.keyword], pages: keywordList.pages };
  }
}
