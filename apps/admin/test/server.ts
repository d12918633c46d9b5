import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, defaultAdminDir, openRuntime, type Runtime } from '@cairn/api';
import { loadConfig } from '@cairn/core';

export interface RunningApi {
  url: string;
  runtime: Runtime;
  app: Awaited<ReturnType<typeof buildApp>>;
  close(): Promise<void>;
}

/**
 * The real API over HTTP on loopback, on the embedded defaults (PGlite in memory, the
 * starter corpus, in-process runs), serving the built UI at /admin. `env` adds settings.
 */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  if (!existsSync(join(defaultAdminDir, 'index.html'))) {
    throw new Error(`The admin UI is not built (${defaultAdminDir}): run \`npm run build -w @cairn/admin\` (turbo builds it before this package's tests).`);
  }
  const config = loadConfig({ INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1', ...env });
  const runtime = await openRuntime({ ...config, dataDir: '' });
  const app = await buildApp(runtime);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    runtime,
    app,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}
