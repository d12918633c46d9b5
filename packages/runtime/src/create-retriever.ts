import type { CairnConfig } from '@cairn/core';
import { LlmReranker, type ChatModel } from '@cairn/answer';
import type { Embedder } from '@cairn/embed';
import { FeatureReranker, Retriever, type MeaningSimilarity, type Reranker } from '@cairn/retrieve';
import type { Store } from '@cairn/store';

/** What a retriever is built from (a Runtime has all of it). */
export interface RetrieverDependencies {
  config: CairnConfig;
  store: Store;
  /** What queries are embedded with (a Runtime's `searchEmbedder`). */
  searchEmbedder: Embedder;
  /** The chat model of the rerank, needed with CAIRN_RERANK=llm (a Runtime's `rerankModel`). */
  rerankModel?: ChatModel | undefined;
}

export interface CreateRetrieverOptions {
  /** Where the rerank's one line goes when it keeps the feature order (a model error, a timeout). */
  log?: ((line: string) => void) | undefined;
}

/**
 * How close in meaning a question is to each candidate passage, for the feature reranker's
 * meaning features; undefined leaves them at 0. The fitted weights give those features no
 * weight (they did not hold up on a set left out of the fit; docs/evaluation.md), so none
 * is computed; a refit that uses them returns `meaningSimilarity` of @cairn/embed here.
 */
export function meaningSimilarity(_dependencies: RetrieverDependencies): MeaningSimilarity | undefined {
  return undefined;
}

/**
 * The longest the rerank's model call may take: the chat model's limit (CHAT_TIMEOUT_MS),
 * and no more than half a request's (REQUEST_TIMEOUT_MS), so that a slow model leaves the
 * search time to answer with the feature order.
 */
export function rerankTimeoutMs(config: CairnConfig): number {
  return Math.min(config.chat.timeoutMs, Math.floor(config.requestTimeoutMs / 2));
}

/**
 * The last stage of retrieval as CAIRN_RERANK says: `features` the offline FeatureReranker,
 * `llm` the chat model's listwise rerank of the FeatureReranker's top 20, `off` none.
 */
export function createReranker(dependencies: RetrieverDependencies, options: CreateRetrieverOptions = {}): Reranker | undefined {
  const { config } = dependencies;
  if (config.rerank === 'off') return undefined;
  const features = new FeatureReranker(meaningSimilarity(dependencies));
  if (config.rerank === 'features') return features;
  if (!dependencies.rerankModel) {
    throw new Error('CAIRN_RERANK=llm needs a chat model: open the runtime with `answers` or `search` (openRuntime), or pass rerankModel');
  }
  return new LlmReranker({
    model: dependencies.rerankModel,
    inner: features,
    contextTokens: config.chat.contextTokens,
    maxAnswerTokens: config.chat.maxTokens,
    timeoutMs: rerankTimeoutMs(config),
    log: options.log,
  });
}

/**
 * The retriever every entry point searches with (the API, `cairn search`, `cairn ask`):
 * CAIRN_RETRIEVAL_MODE, the search embedder, and the reranker of CAIRN_RERANK.
 */
export function createRetriever(dependencies: RetrieverDependencies, options: CreateRetrieverOptions = {}): Retriever {
  return new Retriever(dependencies.store, dependencies.searchEmbedder, dependencies.config.retrievalMode, {
    reranker: createReranker(dependencies, options),
  });
}
