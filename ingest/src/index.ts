export * from './outline.js';
export * from './chunk/chunk-outline.js';
export * from './extract/slugify.js';
export * from './extract/parse-markdown-note.js';
export * from './extract/parse-html-note.js';
export * from './pipeline/ingest-document.js';
export * from './pipeline/ingest-directory.js';
export * from './pipeline/load-starter-corpus.js';
