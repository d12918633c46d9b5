import type { RetrievedPassage } from '@cairn/core';

/**
 * The last stage of retrieval: reorders the fused candidates of a question. It returns
 * the same passages (or fewer), most relevant first; the Retriever records each
 * passage's place as `ranks.reranked`. Implementations: FeatureReranker (offline, the
 * default) and the chat model's listwise rerank (`CAIRN_RERANK=llm`).
 */
export interface Reranker {
  /** A short id for logs and retrieval details, e.g. `features-v1` or `llm`. */
  readonly name: string;
  /**
   * Whether `rerank` reads the passages' text or citation fields (text, title, heading,
   * url, source, ...). When false, it reads only `chunkId`, `documentId`, `kind`, `score`
   * and `ranks`: the Retriever then reranks before loading the other fields, which are
   * empty ('', null, []) in the candidates it is given, and loads them for the passages
   * it returns. Absent counts as true: the candidates' fields are loaded first.
   */
  readonly readsText?: boolean;
  rerank(question: string, candidates: readonly RetrievedPassage[], options?: { signal?: AbortSignal }): Promise<RetrievedPassage[]>;
}
