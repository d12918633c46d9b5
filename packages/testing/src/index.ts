export * from './test-database.js';
export * from './fake-openai-server.js';
