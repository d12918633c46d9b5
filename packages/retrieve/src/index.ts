export * from './fuse-rankings.js';
export * from './retriever.js';
export * from './evaluation-metrics.js';
export * from './evaluate-retrieval.js';
export * from './page-evidence.js';
export * from './corpus-term-weights.js';
export * from './rerank/reranker.js';
export * from './rerank/feature-reranker.js';
