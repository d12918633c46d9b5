export * from './split-words.js';
