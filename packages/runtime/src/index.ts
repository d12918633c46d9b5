export * from './open-runtime.js';
