export * from './citation.js';
export * from './persona-frameworks.js';
export * from './detect-refusal.js';
export * from './clarifying-questions.js';
export * from './restate-question.js';
export * from './split-sentences.js';
export * from './compose-extractive-answer.js';
