export * from './embedder.js';
export * from './local-hash-embedder.js';
export * from './openai-embedder.js';
export * from './batch-by-tokens.js';
export * from './embed-with-cache.js';
export * from './create-embedder.js';
export * from './switching-embedder.js';
