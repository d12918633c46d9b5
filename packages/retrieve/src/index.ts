export * from './fuse-rankings.js';
export * from './retriever.js';
export * from './evaluation-metrics.js';
export * from './evaluate-retrieval.js';
