export * from './test-database.js';
export * from './fake-openai-server.js';
export * from './test-runtimes.js';
export * from './fixture-site/fixture-site.js';
export * from './wait-for.js';
export * from './parse-event-stream.js';
export * from './listening-url.js';
