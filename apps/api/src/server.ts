import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CairnConfig } from '@cairn/core';
import { openRuntimeStore } from '@cairn/runtime/open-store';
import type { createRetriever as createRetrieverType, Runtime } from '@cairn/runtime';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The question of the start's warm-ups (the conversation policy, the search). */
const warmUpQuestion = 'How do I give feedback to a senior engineer on my team who keeps missing deadlines?';

/**
 * One search as /v1/ask runs it (k 6), its result dropped. The rerank is the feature one even
 * where CAIRN_RERANK=llm, and a query embedded by a remote model (OpenAI's) is not warmed at
 * all: a warm-up never calls a paid service.
 */
async function warmSearch(runtime: Runtime, create: typeof createRetrieverType): Promise<void> {
  if (!runtime.searchEmbedder.model.startsWith('local-')) return;
  const config = { ...runtime.config, rerank: runtime.config.rerank === 'llm' ? ('features' as const) : runtime.config.rerank };
  await create({ config, store: runtime.store, searchEmbedder: runtime.searchEmbedder }).retrieve(warmUpQuestion, { k: 6 });
}

/**
 * Opens the runtime, builds the app and listens. Closing stops accepting connections,
 * lets in-flight requests finish (closing each connection after its response), then
 * closes the database.
 */
export async function startServer(config: CairnConfig): Promise<RunningServer> {
  const logger = {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
  };
  const started = performance.now();
  // Rate limits (and, with server Postgres, the queue) live in Redis: one that does not
  // answer stops the start with one line naming REDIS_URL (exit status 2).
  if (config.redisUrl) await (await import('@cairn/ingest/queue')).assertRedisReachable(config.redisUrl);
  // Lines from start-up wait for the app's logger; later ones (a run that failed, runs taken
  // up after a crash) go straight to it.
  const lines: string[] = [];
  let write: (line: string) => void = (line) => lines.push(line);
  // The store first: PGlite starts in its own thread (about 0.8 s) while this one loads the
  // rest of the code (about 1 s: Fastify, ingestion, the answer path), imported only now.
  const store = openRuntimeStore(config, { log: (line) => write(line) });
  store.catch(() => undefined);
  const [{ openRuntime, createRetriever }, { buildApp }, { defaultAdminDir }, { planAnswer }] = await Promise.all([
    import('@cairn/runtime'),
    import('./app.js'),
    import('./routes/admin-ui-routes.js'),
    import('@cairn/answer'),
  ]).catch(async (error: unknown) => {
    await store.then(({ store: opened }) => opened.close()).catch(() => undefined);
    throw error;
  });
  // The runtime opens (its embedder at once; the rest once PGlite's thread has opened the
  // database) while this thread warms the conversation policy and sets up the parts of the
  // app that need only the configuration: the Fastify instance and its logger, the schema
  // compilers, the OpenAPI document and the docs page.
  const opening = openRuntime(config, { log: (line) => write(line), answers: true, takeUpRuns: true, store });
  opening.catch(() => undefined);
  // Once it is open, while the routes are set up: one search, not awaited, so that the
  // database plans and reads what the first question's search needs (on PGlite, in its own
  // thread) before that question, not after it.
  opening.then((runtime) => warmSearch(runtime, createRetriever)).catch(() => undefined);
  // The conversation policy's first run compiles its patterns and code (about 0.2 s of the first
  // answer): run once now, while PGlite is still opening in its thread and this one would wait.
  try {
    planAnswer([], warmUpQuestion);
  } catch {
    // Only a warm-up: the first question runs the same code and reports what fails.
  }
  const app = await buildApp(opening, { logger, config }).catch(async (error: unknown) => {
    await opening.then((runtime) => runtime.close()).catch(() => undefined);
    throw error;
  });
  const runtime = await opening;
  write = (line) => app.log.info(line);
  for (const line of lines) app.log.info(line);
  app.addHook('onClose', async () => runtime.close());
  // While closing, each response ends its connection: a keep-alive connection that was busy
  // when the close began would otherwise stay open, idle, for the keep-alive timeout (72 s)
  // and hold the close (and the process) until then.
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  const url = await app.listen({ host: config.host, port: config.port });
  const database = config.databaseUrl ? 'server Postgres' : `PGlite in ${config.dataDir}`;
  const answers = runtime.chatModel ? `${runtime.chatModel.model} (extractive for requests the persona declines)` : 'extractive';
  app.log.info(
    `Cairn is listening on ${url} (database: ${database}; embeddings: ${runtime.embedder.model}; answers: ${answers}) after ${Math.round(performance.now() - started)} ms. API docs: ${url}/docs`,
  );
  if (existsSync(join(defaultAdminDir, 'index.html'))) app.log.info(`Admin UI: ${url}/admin/`);
  else app.log.warn(`The admin UI is not built, so ${url}/admin/ answers 503: run \`npm run build\` (npm start builds it first).`);
  return {
    app,
    url,
    async close() {
      closing = true;
      // Responses written outside Fastify's hooks (event streams) leave their connection
      // idle rather than closed: sweep those until the in-flight requests are done.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
    },
  };
}
