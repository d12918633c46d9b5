export * from './open-runtime.js';
export * from './create-retriever.js';
export * from './start-ingest-run.js';
export * from './starter-snapshot.js';
export * from './open-store.js';
