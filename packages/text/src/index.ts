export * from './split-words.js';
export * from './analyze-text.js';
export * from './keyword-weights.js';
