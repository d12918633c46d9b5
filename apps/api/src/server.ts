import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CairnConfig } from '@cairn/core';
import { buildApp } from './app.js';
import { defaultAdminDir } from './routes/admin-ui-routes.js';
import { openRuntime } from './runtime.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/**
 * Opens the runtime, builds the app and listens. Closing stops accepting connections,
 * lets in-flight requests finish, then closes the database.
 */
export async function startServer(config: CairnConfig): Promise<RunningServer> {
  const logger = {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
  };
  const started = performance.now();
  const lines: string[] = [];
  const runtime = await openRuntime(config, { log: (line) => lines.push(line) });
  const app = await buildApp(runtime, { logger });
  for (const line of lines) app.log.info(line);
  app.addHook('onClose', async () => runtime.close());
  const url = await app.listen({ host: config.host, port: config.port });
  const database = config.databaseUrl ? 'server Postgres' : `PGlite in ${config.dataDir}`;
  const answers = runtime.chatModel ? `${runtime.chatModel.model} (extractive for requests the persona declines)` : 'extractive';
  app.log.info(
    `Cairn is listening on ${url} (database: ${database}; embeddings: ${runtime.embedder.model}; answers: ${answers}) after ${Math.round(performance.now() - started)} ms. API docs: ${url}/docs`,
  );
  if (existsSync(join(defaultAdminDir, 'index.html'))) app.log.info(`Admin UI: ${url}/admin/`);
  else app.log.warn(`The admin UI is not built, so ${url}/admin/ answers 503: run \`npm run build\` (npm start builds it first).`);
  return { app, url, close: () => app.close() };
}
