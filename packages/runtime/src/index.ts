export * from './open-runtime.js';
export * from './create-retriever.js';
