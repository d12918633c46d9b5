export * from './errors.js';
export * from './config.js';
export * from './tokens.js';
export * from './hash.js';
export * from './types.js';
export * from './worker-script.js';
export * from './embedding-vector.js';
export * from './invalid-character.js';
