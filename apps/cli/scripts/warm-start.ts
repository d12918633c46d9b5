/**
 * The warm start of the API (issue 20 item 4): an existing data directory holding the
 * starter corpus, then the API started as `npm start` starts it (its launcher, Node flags,
 * allocator settings and request logging) and timed to "listening" and to its first cited
 * /v1/ask answer, `--runs` times. With `--repo DIR` as well, the same is timed for another
 * checkout (its own node_modules and dist/), alternating run by run, so that the two are
 * compared in the same minutes of a shared host whose speed drifts.
 *
 *   node --import tsx apps/cli/scripts/warm-start.ts [--runs 5] [--repo /path/to/other/checkout]
 *
 * `--repo-flags="..."` runs the other checkout with these Node flags instead of apiNodeFlags
 * (to compare a flag: `--repo .` and the flags without it).
 *
 * `--fresh` times the first start instead: each run in a new, empty data directory (the
 * starter snapshot unpacked, as the first `npm start` after `npm ci`).
 *
 * Timers: from the spawn to the line "Cairn is listening on", and to the end of the first
 * answer's body. The output is polled every 10 ms.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apiNodeFlags, processEnvironment, withApiMallocSettings } from '@cairn/core';
import { repositoryRoot } from '../bench/compare/processes.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    repo: { type: 'string' },
    'repo-flags': { type: 'string' },
    fresh: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('Usage: node --import tsx apps/cli/scripts/warm-start.ts [--runs N] [--repo OTHER_CHECKOUT [--repo-flags="NODE FLAGS"]]');
  process.exit(0);
}

const environment = (dataDir: string) => ({
  PATH: processEnvironment().PATH ?? '',
  HOME: processEnvironment().HOME ?? '/tmp',
  CAIRN_DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: '0',
});

function run(command: string[], cwd: string, env: NodeJS.ProcessEnv, logPath: string) {
  const fd = openSync(logPath, 'w');
  const child = spawn(process.execPath, command, { cwd, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, output: () => readFileSync(logPath, 'utf8') };
}

async function prepare(repo: string): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-warm-start-'));
  const loader = run([join(repo, 'apps/cli/bin/cairn.js'), 'search', 'warm up'], repo, environment(dataDir), `${dataDir}.log`);
  await loader.exited;
  if (loader.child.exitCode !== 0) throw new Error(`cairn search failed in ${repo}:\n${loader.output()}`);
  return dataDir;
}

async function once(repo: string, prepared: string, flags: string[]): Promise<{ listening: number; answered: number }> {
  const dataDir = values.fresh ? await mkdtemp(join(tmpdir(), 'cairn-first-start-')) : prepared;
  const started = performance.now();
  const api = run(
    [...flags, join(repo, 'apps/api/bin/cairn-api.js')],
    repo,
    withApiMallocSettings(environment(dataDir)),
    `${dataDir}.api.log`,
  );
  try {
    let url: string | undefined;
    while (!url) {
      url = /Cairn is listening on\s*(http:\/\/[0-9.]+:[0-9]+)/.exec(api.output())?.[1];
      if (api.child.exitCode !== null) throw new Error(`the API exited:\n${api.output()}`);
      if (!url) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const listening = performance.now() - started;
    const response = await fetch(`${url}/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'How do I give feedback that lands?' }),
    });
    const body = (await response.json()) as { citations?: unknown[] };
    if (!response.ok || !body.citations?.length) throw new Error(`no cited answer (${response.status})`);
    return { listening, answered: performance.now() - started };
  } finally {
    api.child.kill('SIGTERM');
    await api.exited;
    if (values.fresh) {
      await rm(dataDir, { recursive: true, force: true });
      await rm(`${dataDir}.api.log`, { force: true });
    }
  }
}

const repos = [repositoryRoot, ...(values.repo ? [values.repo] : [])];
const flagSets = [apiNodeFlags, values['repo-flags'] === undefined ? apiNodeFlags : values['repo-flags'].split(/\s+/).filter(Boolean)];
const dataDirs = values.fresh ? repos.map(() => tmpdir()) : await Promise.all(repos.map(prepare));
const results = repos.map(() => [] as { listening: number; answered: number }[]);
try {
  for (let round = 0; round < Number(values.runs); round += 1) {
    for (const [index, repo] of repos.entries()) results[index]!.push(await once(repo, dataDirs[index]!, flagSets[index]!));
  }
} finally {
  for (const dataDir of values.fresh ? [] : dataDirs) {
    await rm(dataDir, { recursive: true, force: true });
    await rm(`${dataDir}.log`, { force: true });
    await rm(`${dataDir}.api.log`, { force: true });
  }
}
const seconds = (ms: number) => (ms / 1000).toFixed(2);
for (const [index, repo] of repos.entries()) {
  const runs = results[index]!;
  const sorted = runs.map((r) => r.answered).sort((a, b) => a - b);
  console.log(
    `${repo} (${flagSets[index]!.join(' ')}): first answer ${runs.map((r) => seconds(r.answered)).join(' / ')} s (median ${seconds(sorted[Math.floor(sorted.length / 2)]!)}); listening ${runs.map((r) => seconds(r.listening)).join(' / ')} s`,
  );
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end`,
);
