import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listeningUrl } from '@cairn/testing';

/** The API's launcher, what `npm start` runs; the UI is tested against it as users get it. */
const apiMain = fileURLToPath(new URL('../../api/bin/cairn-api.js', import.meta.url));
const adminDist = fileURLToPath(new URL('../dist', import.meta.url));

export interface RunningApi {
  url: string;
  /** What the server printed, for a failing test's message. */
  output(): string;
  close(): Promise<void>;
}

/**
 * The real API over HTTP on loopback, in its own process, on the embedded defaults (PGlite
 * in a fresh data directory, the starter corpus, in-process runs), serving the built UI at
 * /admin. `env` adds settings.
 */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  if (!existsSync(join(adminDist, 'index.html'))) {
    throw new Error(
      `The admin UI is not built (${adminDist}): run \`npm run build -w @cairn/admin\` (turbo builds it before this package's tests).`,
    );
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-admin-e2e-'));
  const child = spawn(process.execPath, [apiMain], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
      CAIRN_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = listeningUrl(child);
  const url = await listening.url;
  return {
    url,
    output: listening.output,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}
