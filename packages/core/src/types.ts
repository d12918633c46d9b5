/** Filters that narrow a search to some sources (by name) or authors. */
export interface SearchFilters {
  sources?: string[] | undefined;
  authors?: string[] | undefined;
}

/** A passage as retrieval returns it, with where it ranked in each list. */
export interface RetrievedPassage {
  chunkId: string;
  documentId: string;
  /** Where a citation links: the page and section (`url#anchor`), or for a note the original it summarises. */
  url: string;
  title: string;
  author: string | null;
  source: string;
  /** `article` for crawled pages, `note` for the team's notes (whose url is the original they summarise). */
  kind: 'article' | 'note';
  heading: string;
  headingPath: string[];
  anchor: string | null;
  text: string;
  publishedAt: string | null;
  /** When the page was last crawled (null for a note from a directory source never fetched). */
  fetchedAt?: string | null;
  /** Frameworks of the persona that the document is about (from a note's front matter). */
  frameworks: string[];
  score: number;
  ranks: RetrievalRanks;
}

/**
 * Where a passage ranked at each stage of retrieval (1-based; null where a stage did not
 * see it or did not run): the dense and keyword lists, its page among the pages (page-level
 * evidence), the fused list, and the reranked list.
 */
export interface RetrievalRanks {
  vector: number | null;
  keyword: number | null;
  page?: number | null;
  fused?: number | null;
  reranked?: number | null;
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts (the work
 * itself may go on, bounded by its own limits, but the caller stops waiting for it).
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    // The work goes on (or fails) unawaited: its rejection is handled here, or it would end the process (probe 33 H1:
    // an MCP client that hung up before its tool started took the API down).
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
