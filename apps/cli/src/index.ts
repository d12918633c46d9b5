export * from './evaluate-starter-corpus.js';
