import { isZeroVector, vectorTypeOf, type EmbeddingVector, type SearchFilters } from '@cairn/core';
import { corpusMemoryQuery, toCorpusMemory, type CorpusMemory, type CorpusMemoryRow } from './corpus-memory.js';
import type { Queryable, QueryOptions } from './database.js';
import { fromPassageJson, type PassageJson, type SearchCandidate, type SearchPassage } from './search-passage.js';
import {
  candidateListsQuery,
  corpusCheckQuery,
  denseSearchQuery,
  keywordSearchQuery,
  pageLengthsQuery,
  passagesQuery,
  withPassages,
  type CandidateListEntry,
  type CandidateListsRow,
  type KeywordListOptions,
  type LexicalCandidates,
  type SearchModel,
  type SqlStatement,
} from './search-queries.js';
import {
  inverseDocumentFrequency,
  termStatisticsQuery,
  toTermStatistics,
  type TermStatistics,
  type TermStatisticsRow,
} from './term-statistics.js';

export type { SearchCandidate, SearchPassage } from './search-passage.js';

/** A chunk with its text and citation fields and its list's score (SearchRepository.dense and .keyword). */
export interface SearchHit extends SearchPassage {
  score: number;
}

/** The two ranked lists of a hybrid search. */
export interface CandidateLists {
  dense: SearchCandidate[];
  keyword: SearchCandidate[];
  /**
   * Asked for (`pages`): page-level keyword evidence, each page's score by document id, best
   * first (see pageScores in search-queries.ts); pages without any query term are absent.
   */
  pages?: Map<string, number>;
  /**
   * The corpus's version the lists saw (corpusVersion in search-queries.ts), when known:
   * `passages` with it loads the fields of the corpus held in memory, if the memory is of
   * that version (CorpusMemory).
   */
  corpusVersion?: string;
}

type Model = SearchModel;
type ListOptions = KeywordListOptions;

/** The `pages` field of a keyword statement (JSON text of `[documentId, score]` pairs, best first), as a map in that order. */
function fromPagesJson(text: string | null | undefined): Map<string, number> {
  return new Map(((text ? JSON.parse(text) : []) as [string, number | string][]).map(([documentId, score]) => [documentId, Number(score)]));
}

/** A list of candidateListsQuery's JSON text as candidates. */
function fromListJson(text: string): SearchCandidate[] {
  return withFiniteScores(
    (JSON.parse(text) as CandidateListEntry[]).map(([chunkId, documentId, kind, score]) =>
      toCandidate({ chunkId, documentId, kind, score: Number(score) }),
    ),
  );
}

/**
 * A list without the rows whose score is not a number: a passage whose vector has no
 * direction (only stop words or symbols) is at a NaN cosine distance from any question, so
 * it is near none (and NaN is no score to rank by, fuse or send as JSON).
 */
function withFiniteScores<Row extends { score: number }>(rows: Row[]): Row[] {
  return rows.every((row) => Number.isFinite(row.score)) ? rows : rows.filter((row) => Number.isFinite(row.score));
}

/** A list's row as a candidate: the fields ranking reads (not the row's `position`). */
const toCandidate = (row: SearchCandidate): SearchCandidate => ({
  chunkId: row.chunkId,
  documentId: row.documentId,
  kind: row.kind,
  score: Number(row.score),
});

/**
 * Search in two steps: the ranked lists carry chunk ids and scores only (SearchCandidate),
 * and `passages` loads the text and citation fields of those a search returns, so that the
 * candidates fusion and the reranker look at (50 or more a list) do not travel with their
 * text. `dense` and `keyword` return a list with the fields joined on, for callers that
 * want every row of it.
 */
export class SearchRepository {
  /** The postings' statistics, read on the first search and again when a list finds that they changed. */
  private termStatistics: Promise<TermStatistics> | undefined;
  /**
   * Pages' lengths in passages, read once per page while the statistics hold: ingestion
   * refreshes them at the end of each run (DocumentsRepository.refreshStatistics), which
   * empties this. Bounded, as a corpus may have many pages.
   */
  private readonly lengths = new Map<string, number>();
  /** Bumped as the lengths are forgotten, so that a read that started before is not remembered after. */
  private lengthsGeneration = 0;

  /** Up to how many passages the dense list ranks exactly in one stage (EXACT_DENSE_MAX_PASSAGES). */
  private readonly exactDenseMaxPassages: number;

  /** Up to how many passages a corpus is held in memory (MEMORY_MAX_PASSAGES; 0: never). */
  private readonly memoryMaxPassages: number;
  /** The corpus held in memory, for one model, as of its version (see CorpusMemory). */
  private memory: CorpusMemory | undefined;
  /** A load of the memory under way. */
  private memoryLoad: Promise<void> | undefined;
  /** The corpus's version the last lists saw, and how many searches in a row saw it. */
  private seenVersion: string | undefined;
  private stillSearches = 0;
  /**
   * How many searches in a row must see one version before the corpus is loaded: 2, doubled
   * (up to 64) each time a memory is dropped having served fewer than MEMORY_PAYS_AFTER
   * searches, so that a corpus being written between searches is not loaded again and again.
   */
  private stillSearchesNeeded = 2;
  /** Loads of the memory so far, and loads that failed (memoryState). */
  private memoryLoads = 0;
  private memoryFailures = 0;
  /** A version at which the corpus was found too large to hold: not tried again until the corpus changes. */
  private memoryRefusedAt: string | undefined;

  constructor(
    private readonly database: Queryable,
    options: { exactDenseMaxPassages?: number | undefined; memoryMaxPassages?: number | undefined } = {},
  ) {
    this.exactDenseMaxPassages = options.exactDenseMaxPassages ?? EXACT_DENSE_MAX_PASSAGES;
    this.memoryMaxPassages = options.memoryMaxPassages ?? MEMORY_MAX_PASSAGES;
  }

  /**
   * Whether the corpus is held in memory for this model: a hybrid search's lists then need no
   * statement of their own (candidateLists reads the corpus's version and ranks both lists
   * here, when the database has not changed since). Never for a list filtered by source or
   * author: the statements rank those.
   */
  holdsCorpus(model: string, filters?: SearchFilters | undefined): boolean {
    return this.memory?.model === model && !isFiltered({ filters });
  }

  /** How many passages the memory holds for this model (0 when it holds none): for benchmarks and tests. */
  heldPassages(model: string): number {
    return this.memory?.model === model ? this.memory.size : 0;
  }

  /** The memory's state, for benchmarks and tests: loads so far, and how many searches in a row must see one version before the next. */
  memoryState(): { loads: number; failures: number; stillSearchesNeeded: number } {
    return { loads: this.memoryLoads, failures: this.memoryFailures, stillSearchesNeeded: this.stillSearchesNeeded };
  }

  /** Drops the memory, as the corpus changed since it was loaded; one that served little makes the next load wait longer. */
  private dropMemory(memory: CorpusMemory): void {
    if (this.memory !== memory) return;
    this.memory = undefined;
    this.stillSearchesNeeded = memory.served < MEMORY_PAYS_AFTER ? Math.min(this.stillSearchesNeeded * 2, 64) : 2;
  }

  /** The load of the memory under way, if any (tests and benchmarks wait for it). */
  async memorySettled(): Promise<void> {
    await this.memoryLoad;
  }

  /**
   * Notes the corpus's version lists saw (for `model`'s vectors, of `vector`'s kind): when
   * searches in a row saw the same one (two, or more after loads that did not pay: see
   * stillSearchesNeeded; the corpus was still between them) and the corpus is small by the
   * statistics, it is loaded into memory in the background (CorpusMemory). While the corpus
   * keeps changing (a run writing pages), nothing is loaded.
   * candidateLists notes its own; a caller that reads the lists apart (keywordCandidateList
   * and denseCandidates side by side) passes the keyword list's (its `version`).
   */
  noteVersion(model: Model, vector: EmbeddingVector, version: string | null | undefined): void {
    if (!version || this.memoryMaxPassages <= 0) return;
    this.stillSearches = this.seenVersion === version ? this.stillSearches + 1 : 1;
    this.seenVersion = version;
    if (this.stillSearches < this.stillSearchesNeeded || this.memoryLoad || this.memoryRefusedAt === version) return;
    if (this.memory?.model === model.id && this.memory.corpusVersion === version) return;
    const vectorType = vectorTypeOf(vector);
    const limit = this.memoryMaxPassages;
    this.memoryLoad = (async () => {
      if ((await this.currentTermStatistics()).chunks > limit) return;
      this.memoryLoads += 1;
      const { sql, params } = corpusMemoryQuery(model.id, vectorType, limit);
      const [row] = await this.database.query<CorpusMemoryRow>(sql, params);
      const memory = row && toCorpusMemory(model.id, vectorType, limit, row);
      if (memory) this.memory = memory;
      else if (row) {
        this.memoryRefusedAt = row.corpusVersion;
        this.memory = undefined;
      }
    })()
      // A failed load leaves search as it was: the statements rank every list. It is not tried
      // again at this version, and the next load waits longer.
      .catch(() => {
        this.memoryRefusedAt = version;
        this.memoryFailures += 1;
        this.stillSearchesNeeded = Math.min(this.stillSearchesNeeded * 2, 64);
      })
      .finally(() => {
        this.memoryLoad = undefined;
      });
  }

  /**
   * The postings' statistics as the last search found them (read when there are none yet). A
   * search that finds them changed (each list returns their fingerprint) drops them, so the
   * next call reads them again: callers that derive something from them (the query's term
   * weights) compare the fingerprint they used with this one's after their lists ran.
   */
  currentTermStatistics(): Promise<TermStatistics> {
    this.termStatistics ??= (async () => {
      const { sql, params } = termStatisticsQuery();
      const [row] = await this.database.query<TermStatisticsRow>(sql, params);
      this.clearLengths();
      return toTermStatistics(row!);
    })().catch((error: unknown) => {
      this.termStatistics = undefined;
      throw error;
    });
    return this.termStatistics;
  }

  /**
   * The length in passages of each of the given pages (documents), for page-level evidence:
   * from memory for pages seen since the statistics last changed, one statement over the
   * chunks' unique index for the rest.
   */
  async pageLengths(documentIds: readonly string[]): Promise<Map<string, number>> {
    const missing = [...new Set(documentIds)].filter((documentId) => !this.lengths.has(documentId));
    // Pages not found (gone since the lists ran) count as 0, as rankPages reads a missing length.
    const read = new Map<string, number>(missing.map((documentId) => [documentId, 0]));
    if (missing.length > 0) {
      const generation = this.lengthsGeneration;
      const { sql, params } = pageLengthsQuery(missing);
      for (const row of await this.database.query<{ documentId: string; chunks: number }>(sql, params))
        read.set(row.documentId, Number(row.chunks));
      if (generation === this.lengthsGeneration) {
        if (this.lengths.size + read.size > maxRememberedLengths) this.lengths.clear();
        for (const [documentId, chunks] of read) this.lengths.set(documentId, chunks);
      }
    }
    return new Map(documentIds.map((documentId) => [documentId, this.lengths.get(documentId) ?? read.get(documentId) ?? 0]));
  }

  /**
   * The dense list (see denseSearchQuery), nearest first. `terms`: the query's keyword terms,
   * whose best passages join a two-stage list's candidates (a model with a meaning part).
   */
  async denseCandidates(
    model: Model,
    vector: EmbeddingVector,
    options: ListOptions,
    terms: readonly string[] = [],
  ): Promise<SearchCandidate[]> {
    // A question of stop words or symbols alone has no direction: nothing is near it.
    if (isZeroVector(vector)) return [];
    const { staged, lexical } = await this.stages(model, terms);
    const { sql, params } = denseSearchQuery(staged, vector, options, [], lexical);
    const used = this.termStatistics;
    const rows = await this.database.query<SearchCandidate & { statistics?: string | null; crowded?: boolean | null }>(
      sql,
      params,
      preparedFor(options),
    );
    await this.noteStatistics(used, rows.find((row) => row.statistics)?.statistics);
    // Only the first row carries the flag; the others have null.
    return crowded(
      rows.length,
      rows.some((row) => row.crowded === true),
      options,
    )
      ? this.joinedDenseCandidates(staged, vector, options, lexical)
      : withFiniteScores(rows.map(toCandidate));
  }

  /**
   * How the dense list ranks for a model with a meaning part: in two stages with the terms'
   * lexical candidates, or (a corpus of at most `exactDenseMaxPassages` by the statistics)
   * exactly, as a model without one (see stagedModel).
   */
  private async stages(model: Model, terms: readonly string[]): Promise<{ staged: Model; lexical: LexicalCandidates | undefined }> {
    if (!model.meaningDimensions) return { staged: model, lexical: undefined };
    const statistics = await this.currentTermStatistics();
    const staged = stagedModel(model, statistics, this.exactDenseMaxPassages);
    if (!staged.meaningDimensions || terms.length === 0) return { staged, lexical: undefined };
    return { staged, lexical: { terms, idfs: terms.map((term) => inverseDocumentFrequency(statistics, term)) } };
  }

  /**
   * The dense list in its joined form, for an unfiltered list that came back short because
   * more of the nearest vectors than its margin had no passage (see denseSearchQuery).
   */
  private async joinedDenseCandidates(
    model: Model,
    vector: EmbeddingVector,
    options: ListOptions,
    lexical: LexicalCandidates | undefined,
  ): Promise<SearchCandidate[]> {
    const { sql, params } = denseSearchQuery(model, vector, { ...options, joined: true }, [], lexical);
    return withFiniteScores((await this.database.query<SearchCandidate>(sql, params)).map(toCandidate));
  }

  /**
   * The keyword list, best first: BM25 over the keyword postings. For each query term, the
   * `depth` postings with the highest weight (an index range scan on (term, weight desc)),
   * scored as the sum of weight × idf over the terms a chunk appears under. The cost is
   * bounded by terms × depth, not by how many chunks contain a common word; a chunk's
   * contribution from a term where it ranks below `depth` is left out, which matters only
   * for common terms, whose IDF is low. Document frequencies are estimated from the
   * planner's statistics of the postings (most common terms and the number of distinct
   * terms; see refreshStatistics and TermStatistics), so no counter rows are contended by
   * concurrent ingestion.
   */
  async keywordCandidates(terms: readonly string[], options: ListOptions): Promise<SearchCandidate[]> {
    return (await this.keywordCandidateList(terms, { ...options, pages: false })).keyword;
  }

  /**
   * The keyword list (see keywordCandidates) and, asked for (`options.pages`), the page-level
   * keyword evidence from the same statement, with the corpus's version it saw (none when
   * there are no terms).
   */
  async keywordCandidateList(terms: readonly string[], options: ListOptions): Promise<Omit<CandidateLists, 'dense'>> {
    if (terms.length === 0) return { keyword: [], ...(options.pages ? { pages: new Map() } : {}) };
    const rows = await this.withTermStatistics<SearchCandidate & { pages?: string | null; corpusVersion?: string | null }>(
      terms,
      preparedFor(options),
      (idfs) => keywordSearchQuery(terms, idfs, { ...options, corpusVersion: true }),
    );
    const corpusVersion = rows[0]?.corpusVersion ?? undefined;
    return {
      keyword: rows.map(toCandidate),
      ...(options.pages ? { pages: fromPagesJson(rows[0]?.pages) } : {}),
      ...(corpusVersion === undefined ? {} : { corpusVersion }),
    };
  }

  /**
   * Both lists: ranked in memory when the corpus is held and unchanged (one statement reads its
   * version: corpusCheckQuery), else in one statement (one round trip; candidateListsQuery).
   */
  async candidateLists(model: Model, vector: EmbeddingVector, terms: readonly string[], options: ListOptions): Promise<CandidateLists> {
    if (terms.length === 0)
      return { dense: await this.denseCandidates(model, vector, options), keyword: [], ...(options.pages ? { pages: new Map() } : {}) };
    if (isZeroVector(vector)) return { dense: [], ...(await this.keywordCandidateList(terms, options)) };
    const memory = this.memory;
    if (memory?.model === model.id && !isFiltered(options)) {
      // Both lists from memory, if the corpus is as it was loaded: one statement reads its version.
      let idfs: number[] = [];
      const [row] = await this.withTermStatistics<{ corpusVersion: string }>(terms, prepared, (current) => {
        idfs = current;
        return corpusCheckQuery();
      });
      const version = row!.corpusVersion;
      const dense = version === memory.corpusVersion ? memory.rank(vector, options.limit) : null;
      if (dense) return { dense, ...memory.keywordList(terms, idfs, options), corpusVersion: version };
      this.dropMemory(memory);
    }
    let used: { staged: Model; idfs: number[] } = { staged: model, idfs: [] };
    const [row] = await this.withTermStatistics<CandidateListsRow>(terms, preparedFor(options), (idfs, statistics) => {
      used = { staged: stagedModel(model, statistics, this.exactDenseMaxPassages), idfs };
      return candidateListsQuery(used.staged, vector, terms, idfs, options);
    });
    this.noteVersion(model, vector, row!.corpusVersion);
    const lists: CandidateLists = {
      dense: fromListJson(row!.dense),
      keyword: fromListJson(row!.keyword),
      ...(options.pages ? { pages: fromPagesJson(row!.pages) } : {}),
      corpusVersion: row!.corpusVersion,
    };
    if (crowded(lists.dense.length, row!.crowded, options))
      lists.dense = await this.joinedDenseCandidates(
        used.staged,
        vector,
        options,
        used.staged.meaningDimensions ? { terms, idfs: used.idfs } : undefined,
      );
    return lists;
  }

  /**
   * The text and citation fields of the given chunks, in their order; a chunk whose
   * document is no longer active (or that is gone) is left out. With the corpus's version
   * lists saw (`corpusVersion`), passages the memory holds at that version come from memory,
   * as they were at that version: consistent with the lists, though a page removed since
   * then is still returned (the next search no longer lists it). Those are frozen.
   */
  async passages(chunkIds: readonly string[], options: { corpusVersion?: string | undefined } = {}): Promise<SearchPassage[]> {
    if (chunkIds.length === 0) return [];
    const byId = new Map<string, SearchPassage>();
    // From memory, for lists read in the version it holds (CandidateLists.corpusVersion).
    const memory = options.corpusVersion !== undefined && this.memory?.corpusVersion === options.corpusVersion ? this.memory : undefined;
    if (memory)
      for (const chunkId of chunkIds) {
        const held = memory.passage(chunkId);
        if (held) byId.set(chunkId, held);
      }
    const missing = [...new Set(chunkIds.filter((chunkId) => !byId.has(chunkId)))];
    if (missing.length > 0) {
      const { sql, params } = passagesQuery(missing);
      const [row] = await this.database.query<{ passages: string }>(sql, params, prepared);
      for (const passage of JSON.parse(row!.passages) as PassageJson[]) byId.set(passage.chunkId, fromPassageJson(passage));
    }
    return chunkIds.flatMap((chunkId) => byId.get(chunkId) ?? []);
  }

  /** The dense list with each chunk's text and citation fields, nearest first (`terms` as for denseCandidates). */
  async dense(model: Model, vector: EmbeddingVector, options: ListOptions, terms: readonly string[] = []): Promise<SearchHit[]> {
    if (isZeroVector(vector)) return [];
    const { staged, lexical } = await this.stages(model, terms);
    const { sql, params } = withPassages(denseSearchQuery(staged, vector, options, [], lexical));
    return withFiniteScores((await this.database.query<SearchHit>(sql, params)).map(toHit));
  }

  /** The keyword list (see keywordCandidates) with each chunk's text and citation fields, best first. */
  async keyword(terms: readonly string[], options: ListOptions): Promise<SearchHit[]> {
    if (terms.length === 0) return [];
    const rows = await this.withTermStatistics<SearchHit>(terms, undefined, (idfs) =>
      withPassages(keywordSearchQuery(terms, idfs, { ...options, pages: false }), { keyword: true }),
    );
    return rows.map(toHit);
  }

  /**
   * Runs a statement built with the terms' IDFs from the statistics read before (a keyword
   * list, or the check of the corpus held in memory, whose lists use those IDFs). Its rows
   * carry the statistics' fingerprint as the statement saw it: when that differs (an
   * ANALYZE since, here or in another process), the statistics are read again and the
   * statement runs again, so that scores always follow the current statistics.
   */
  private async withTermStatistics<Row>(
    terms: readonly string[],
    queryOptions: QueryOptions | undefined,
    statement: (idfs: number[], statistics: TermStatistics) => SqlStatement,
  ): Promise<(Row & { statistics?: string | null })[]> {
    for (let attempt = 0; ; attempt += 1) {
      const used = this.currentTermStatistics();
      const statistics = await used;
      const { sql, params } = statement(
        terms.map((term) => inverseDocumentFrequency(statistics, term)),
        statistics,
      );
      const rows = await this.database.query<Row & { statistics?: string | null }>(sql, params, queryOptions);
      const seen = rows.find((row) => row.statistics)?.statistics;
      if (!seen || seen === statistics.fingerprint || attempt > 0) return rows;
      await this.noteStatistics(used, seen);
    }
  }

  /**
   * Drops the statistics a statement ran with (`used`), and what was read with them, when it
   * saw others; statistics read since (by a search that ran later) are kept.
   */
  private async noteStatistics(used: Promise<TermStatistics> | undefined, seen: string | null | undefined): Promise<void> {
    if (!seen || !used || this.termStatistics !== used) return;
    const statistics = await used.catch(() => undefined);
    if (statistics?.fingerprint !== seen && this.termStatistics === used) {
      this.termStatistics = undefined;
      this.clearLengths();
    }
  }

  private clearLengths(): void {
    this.lengths.clear();
    this.lengthsGeneration += 1;
  }
}

/**
 * Search's statements run often with other parameters: prepared (QueryOptions) in the shapes
 * most searches take, with no filter and at most 64 rows a list (the API's default asks for
 * 50): at most 5 limits × 4 statements per model stay prepared on a connection (both lists in
 * one, the dense list, the keyword list, the keyword list with page-level evidence), and the
 * one that reads the corpus's version while the corpus is held in memory (corpusCheckQuery). Others (a
 * filter, a large k) run unprepared, so that no sequence of requests can prepare statements
 * without bound (a plan holds about 200 KB on PGlite).
 */
function preparedFor(options: ListOptions): QueryOptions | undefined {
  return !isFiltered(options) && options.limit <= 64 && options.depth === undefined ? prepared : undefined;
}

/**
 * Whether vectors without passages took places in an unfiltered dense list that passages
 * further down would have had: `flagged` when the list said so (its first row, per table: see
 * denseSearchQuery; candidateListsQuery's `crowded`), and possibly when it has no row (`rows`
 * its length).
 */
function crowded(rows: number, flagged: boolean | null | undefined, options: ListOptions): boolean {
  if (isFiltered(options)) return false;
  return rows === 0 || flagged === true;
}

/** Whether a list names sources or authors (the dense list then joins first: see denseSearchQuery). */
function isFiltered(options: Pick<ListOptions, 'filters'>): boolean {
  return Boolean(options.filters?.sources?.length || options.filters?.authors?.length);
}

const prepared = { prepared: true } as const;

/**
 * Up to this many passages (the planner's estimate of `chunks`, TermStatistics.chunks), a
 * model with a meaning part is ranked exactly over its whole vectors, in one stage: below it
 * the exact scan costs less than the two stages (the ingest bench's fixture, p50 of the dense
 * statement, exact against two stages: server Postgres 3.2 against 8.2 ms at 600 passages,
 * 7.1 against 17.8 at 2,400, 12.2 against 13.4 at 6,000; PGlite 5.1 against 12.6, 12.4
 * against 27.7, 23.3 against 18.5), and it misses nothing. With no statistics yet (0), two stages.
 */
export const EXACT_DENSE_MAX_PASSAGES = 5000;

/** The model as the dense list ranks it for a corpus of these statistics (see EXACT_DENSE_MAX_PASSAGES). */
function stagedModel(model: Model, statistics: TermStatistics, exactUpTo: number): Model {
  const exact = model.meaningDimensions && statistics.chunks > 0 && statistics.chunks <= exactUpTo;
  return exact ? { id: model.id, dimensions: model.dimensions } : model;
}

/**
 * Up to this many passages a corpus is held in memory for search (CorpusMemory): the starter
 * corpus (185) and a team's own notes. Measured: 1.3 MiB for the starter corpus (its fields
 * and its sparse vectors, inverted), about 7 kB a passage; 2,000 passages of 900 entries and
 * 1.5 kB of text each come to about 20 MiB. Larger corpora (or vectors of more than
 * MEMORY_MAX_ENTRIES entries in all) are searched by the statements alone.
 */
export const MEMORY_MAX_PASSAGES = 2000;

/** Searches a memory must serve before it is judged worth loading again at once (stillSearchesNeeded). */
const MEMORY_PAYS_AFTER = 8;

/** Pages whose lengths are remembered at most (about 60 bytes each). */
const maxRememberedLengths = 100_000;

const toHit = ({ statistics: _statistics, ...hit }: SearchHit & { statistics?: unknown }): SearchHit => ({
  ...hit,
  score: Number(hit.score),
});
