import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { apiNodeFlags, processEnvironment, withApiMallocSettings } from '@cairn/core';

export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cairnMain = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
/** The API's launcher, what `npm start` and `cairn serve` run (the compiled runtime when current). */
const apiMain = fileURLToPath(new URL('../../../api/bin/cairn-api.js', import.meta.url));

/** The process's peak resident set size (VmHWM), in MiB; undefined where /proc is not there. */
export async function peakRssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status && /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

let spawnedCount = 0;

/**
 * Starts a process whose output goes to a file (not a pipe that this process, which also
 * drives the load, would have to drain).
 */
function spawnLogged(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): Spawned {
  const logPath = join(tmpdir(), `cairn-bench-${process.pid}-${(spawnedCount += 1)}.log`);
  const fd = openSync(logPath, 'w');
  const child = spawn(command, args, { ...options, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => readFileSync(logPath, 'utf8').slice(-20_000),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      await rm(logPath, { force: true });
    },
  };
}

/** `cairn <args>` as its own process (node itself, so that its pid is the one to measure). */
export function spawnCairn(args: string[], environment: Record<string, string>): Spawned {
  return spawnLogged(process.execPath, [cairnMain, ...args], {
    cwd: repositoryRoot,
    env: { PATH: processEnvironment().PATH ?? '', HOME: processEnvironment().HOME ?? '/tmp', ...environment },
  });
}

/**
 * The API as `npm start` runs it (its own entry point, default request logging), in its own
 * process, so that its pid is the one to measure.
 */
export function spawnApi(environment: Record<string, string>): Spawned {
  return spawnLogged(process.execPath, [...apiNodeFlags, apiMain], {
    cwd: repositoryRoot,
    env: withApiMallocSettings({ PATH: processEnvironment().PATH ?? '', HOME: processEnvironment().HOME ?? '/tmp', ...environment }),
  });
}

/**
 * The address a process says it listens on (the first `http://host:port` after `prefix` in
 * its output), for a server given port 0: the operating system picks a free port, so two
 * runs never race for one.
 */
export async function listeningUrl(spawned: Spawned, prefix: string, timeoutMs = 120_000): Promise<string> {
  const pattern = new RegExp(`${prefix}\\s*(http://[0-9.]+:[0-9]+)`);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(spawned.output());
    if (match) return match[1]!;
    if (spawned.child.exitCode !== null)
      throw new Error(`the process exited (${spawned.child.exitCode}) before it listened:\n${spawned.output()}`);
    if (performance.now() > deadline) throw new Error(`the process did not listen within ${timeoutMs / 1000} s:\n${spawned.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the API (`spawnApi`) with `environment` on a port the operating system picks, with
 * the request logging `npm start` has (LOG_LEVEL is left to `environment`; the default logs
 * every request), and waits until /healthz answers.
 */
export async function startBenchApi(
  environment: Record<string, string>,
): Promise<{ url: string; spawned: Spawned; stop(): Promise<void> }> {
  const spawned = spawnApi({ ...environment, HOST: '127.0.0.1', PORT: '0' });
  try {
    const url = await listeningUrl(spawned, 'Cairn is listening on');
    await waitForHttp(`${url}/healthz`, spawned);
    return { url, spawned, stop: () => spawned.stop() };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
}

const bareSources = {
  /** node:http answering every request with /healthz's body. */
  node: `const server = require('node:http').createServer((request, response) => { response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }); response.end('{"status":"ok"}'); }); server.listen(0, '127.0.0.1', () => console.log('bare server listening on http://127.0.0.1:' + server.address().port));`,
  /** Fastify (the API's framework, the same flags) with one route answering /healthz's body, no plugins, no logging. */
  fastify: `const app = require('fastify')(); app.get('/', async () => ({ status: 'ok' })); app.get('/healthz', async () => ({ status: 'ok' })); app.listen({ host: '127.0.0.1', port: 0 }).then((url) => console.log('bare server listening on ' + url));`,
};

/**
 * A bare server answering /healthz's body, in its own process, on a port the system picks:
 * node:http, or a bare Fastify route (the API overhead row's two baselines).
 */
export async function startBareServer(kind: keyof typeof bareSources): Promise<{ url: string; spawned: Spawned; stop(): Promise<void> }> {
  const spawned = spawnLogged(process.execPath, [...apiNodeFlags, '-e', bareSources[kind]], {
    cwd: repositoryRoot,
    env: withApiMallocSettings(processEnvironment()),
  });
  try {
    const url = await listeningUrl(spawned, 'bare server listening on');
    return { url, spawned, stop: () => spawned.stop() };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
}

/** Resolves once `url` answers 200, or throws with the process's output. */
export async function waitForHttp(url: string, spawned: Spawned, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return;
    if (spawned.child.exitCode !== null)
      throw new Error(`the process exited (${spawned.child.exitCode}) before ${url} answered:\n${spawned.output()}`);
    if (performance.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${spawned.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
}

/**
 * autocannon for `seconds` (or until `amount` requests are answered), cycling through
 * `requests`, with 10 connections unless told otherwise.
 */
export async function load(
  url: string,
  seconds: number,
  requests?: autocannon.Request[],
  options: { connections?: number; amount?: number } = {},
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections ?? 10,
    ...(options.amount ? { amount: options.amount } : { duration: seconds }),
    ...(requests ? { requests } : {}),
  });
  return {
    // Over the whole run: autocannon's per-second average leaves out a last partial second.
    requestsPerSecond: options.amount ? result.requests.total / (result.duration || 1) : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}
