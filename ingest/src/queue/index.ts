/**
 * The BullMQ queue (server Postgres and Redis): what the API, \`cairn ingest\` and \`cairn worker\`
 * use when REDIS_URL is set. Its own entry (\`@cairn/ingest/queue\`), so that a process without
 * the queue (the embedded default) never loads BullMQ and ioredis (about 25-40 MB resident).
 */
export * from './job-catalog.js';
export * from './queue-runner.js';
export * from './ingest-worker.js';
export * from './redis-reachable.js';
