/**
 * Private, throwaway services for the fault tests: a PostgreSQL cluster and a Redis server
 * that a test may stop and start at will (the shared ones on 5432 and 6379 are never
 * touched), and `cairn` processes to run against them. Nothing here skips: a missing
 * binary fails with a message that says what to install.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The repository root, and the CLI entry point the processes run. */
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cliMain = join(repositoryRoot, 'apps/cli/bin/cairn.js');

/** A TCP port nobody listens on now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

// ---------------------------------------------------------------------------------------
// PostgreSQL

/** Where initdb and pg_ctl are: PG_BIN, or the newest /usr/lib/postgresql/<major>/bin. */
function postgresBinDirectory(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) {
    const directory = join(root, major, 'bin');
    if (existsSync(join(directory, 'initdb')) && existsSync(join(directory, 'pg_ctl'))) return directory;
  }
  throw new Error(
    'The fault tests start a private PostgreSQL cluster and need initdb and pg_ctl: install postgresql (bash .ci/run does) or set PG_BIN to their directory.',
  );
}

/** initdb refuses to run as root: as root, the commands run as the `postgres` user. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function postgresUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error('Running as root, the fault tests start PostgreSQL as the `postgres` OS user, and there is none: install postgresql.');
  }
}

export interface PrivatePostgres {
  port: number;
  /** The URL of a database on this cluster (default `postgres`). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are cut), waiting until it is down. */
  stop(): Promise<void>;
  /** Starts the server again, waiting until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server if it runs and removes its files. */
  destroy(): Promise<void>;
}

/** initdb's a new cluster under /tmp on a free port, and starts it. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDirectory();
  const owner = await postgresUserIds();
  const directory = mkdtempSync(join(tmpdir(), 'cairn-faults-pg-'));
  if (owner) chownSync(directory, owner.uid, owner.gid);
  const dataDirectory = join(directory, 'data');
  const pgRun = async (command: string, args: string[]) => {
    const [file, argv] = asPostgresUser(join(bin, command), args);
    try {
      return await run(file, argv, { timeout: 60_000 });
    } catch (error) {
      const failed = error as { stderr?: string; message: string };
      throw new Error(`${command} ${args.join(' ')} failed: ${failed.stderr || failed.message}`, { cause: error });
    }
  };
  await pgRun('initdb', ['-D', dataDirectory, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  const start = async () => {
    await pgRun('pg_ctl', ['-D', dataDirectory, '-o', options, '-l', join(directory, 'server.log'), '-w', '-t', '60', 'start']);
  };
  let running = false;
  await start();
  running = true;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      await pgRun('pg_ctl', ['-D', dataDirectory, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await pgRun('pg_ctl', ['-D', dataDirectory, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      running = false;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// Redis

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stops the server (SIGTERM: a clean shutdown, writing its append-only file when it keeps one). */
  stop(): Promise<void>;
  /** Starts it again on the same port and files. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A redis-server on a free port. `persistent` keeps an append-only file (fsync at every
 * write), as docker-compose.yml runs Redis in production, so a restart keeps the queue.
 */
export async function startPrivateRedis(options: { persistent?: boolean } = {}): Promise<PrivateRedis> {
  const directory = mkdtempSync(join(tmpdir(), 'cairn-faults-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', directory, '--save', '', '--maxmemory-policy', 'noeviction'];
  args.push(...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  let server: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('error', (error) =>
        reject(new Error(`cannot start redis-server (${error.message}): install redis-server (bash .ci/run does)`, { cause: error })),
      );
      child.once('spawn', () => resolve());
    });
    child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    await spawned;
    const deadline = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(output)) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not start within 10 s: ${output}`);
      await sleep(20);
    }
    output = '';
  };
  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// cairn processes

export interface CairnProcess {
  child: ChildProcess;
  /** Everything it wrote, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output; rejects if it exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with its exit code (or the signal that ended it) once it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGKILLs it if it still runs, and waits for it. */
  kill(): Promise<void>;
}

/** The environment of every cairn process: quiet, no starter corpus, no stray settings from the shell. */
export function baseEnvironment(extra: Record<string, string | undefined>): Record<string, string> {
  const environment: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    CAIRN_STARTER_CORPUS: 'off',
    INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
    INGEST_MAX_CRAWL_DELAY_MS: '0',
    LOG_LEVEL: 'info',
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) environment[key] = value;
  return environment;
}

/** Spawns `cairn <args>` (apps/cli/bin/cairn.js) with exactly `environment`. */
export function startCairn(args: string[], environment: Record<string, string>): CairnProcess {
  const child = spawn(process.execPath, [cliMain, ...args], {
    cwd: repositoryRoot,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (data: Buffer) => {
    output += data.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    output: () => output,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) return finish(() => resolve(match));
          if (child.exitCode !== null || child.signalCode !== null) {
            finish(() =>
              reject(
                new Error(`cairn ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`),
              ),
            );
          }
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`cairn ${args.join(' ')} did not print ${pattern} within ${timeoutMs} ms:\n${output}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Starts `cairn serve` on a free port and waits until it listens; returns the process and its URL. */
export async function startServe(environment: Record<string, string>): Promise<{ process: CairnProcess; url: string }> {
  const server = startCairn(['serve'], { ...environment, HOST: '127.0.0.1', PORT: '0' });
  const match = await server.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 90_000);
  return { process: server, url: match[1]! };
}

/** A JSON request with a time limit; the body parsed when it is JSON. */
export async function request(
  url: string,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the route answers
): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body };
}

/** Seconds with one decimal, for the figures the tests print. */
export const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
