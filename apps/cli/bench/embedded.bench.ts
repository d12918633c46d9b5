/**
 * The embedded default's speed and memory (issue 20), side by side with server Postgres:
 *
 *   1. Search with 8 clients: the API as `npm start` runs it (its launcher, default request
 *      logging, the starter corpus), on server Postgres, on PGlite in its own thread (the
 *      default) and on PGlite in the API's thread (CAIRN_PGLITE_THREAD=off, as before), each
 *      loaded by autocannon with 8 connections over the gold-set questions, one after the other.
 *   2. Memory of the embedded default: resident memory (VmRSS) and peak (VmHWM) of the API on
 *      PGlite after start, after 1,000 answers, after a second 1,000, and after an in-process
 *      ingest of the 1,000-page fixture site (crawled through POST /v1/ingest/runs).
 *
 *   node --import tsx apps/cli/bench/embedded.bench.ts           full run; writes its section of docs/benchmarks.md
 *   node --import tsx apps/cli/bench/embedded.bench.ts --quick   short loads, 100 answers and pages; writes nothing
 *   ... --only-memory                                              part 2 alone; writes nothing
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchSettings } from '@cairn/core';
import { loadGoldSet } from '@cairn/starter-corpus';
import { createTestDatabase, startFixtureSite } from '@cairn/testing';
import { load, peakRssMiB, startBenchApi, type LoadResult } from './compare/processes.js';
import { benchmarksPath, machine, writeSection } from './docs-section.js';
import { unlimitedRateLimits } from './synthetic-corpus.js';

const quick = loadBenchSettings().quick;
const onlyMemory = process.argv.includes('--only-memory');
const plan = quick ? { searchSeconds: 4, answers: 100, pages: 100 } : { searchSeconds: 20, answers: 1_000, pages: 1_000 };
const questions = loadGoldSet().map((question) => question.question);
const log = (line: string) => console.error(`[embedded bench] ${line}`);

/** Resident memory now (VmRSS), in MiB. */
async function rssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status && /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

const mib = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MiB`);
const ms = (value: number) => `${value.toFixed(1)} ms`;

type Setting = 'postgres' | 'pglite, own thread' | 'pglite, API thread';

/** An API over the starter corpus in `setting`, with a fresh database; stopped and removed by `close`. */
async function startApi(setting: Setting) {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-embedded-'));
  const database = setting === 'postgres' ? await createTestDatabase('cairn_bench') : undefined;
  const api = await startBenchApi({
    ...unlimitedRateLimits,
    CAIRN_DATA_DIR: dataDir,
    ...(database ? { DATABASE_URL: database.url } : {}),
    CAIRN_PGLITE_THREAD: setting === 'pglite, API thread' ? 'off' : 'on',
    INGEST_ALLOW_PRIVATE_NETWORKS: 'true',
    INGEST_MAX_CRAWL_DELAY_MS: '0',
  });
  return {
    ...api,
    async close() {
      await api.stop();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const searchRequests = questions.map((query) => ({
  method: 'POST' as const,
  path: '/v1/search',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query, k: 6 }),
}));

const askRequests = questions.map((question) => ({
  method: 'POST' as const,
  path: '/v1/ask',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ question }),
}));

async function searchUnderLoad(setting: Setting): Promise<LoadResult> {
  const api = await startApi(setting);
  try {
    // A short warm-up: the first searches compile plans and fill caches.
    await load(api.url, 2, searchRequests, { connections: 8 });
    const result = await load(api.url, plan.searchSeconds, searchRequests, { connections: 8 });
    log(`${setting}: ${result.requestsPerSecond.toFixed(0)} searches/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
    return result;
  } finally {
    await api.close();
  }
}

interface MemoryFigures {
  started: { rss?: number; peak?: number };
  firstThousand: { rss?: number; peak?: number; answers: LoadResult };
  secondThousand: { rss?: number; peak?: number; answers: LoadResult };
  ingest: { rss?: number; peak?: number; pages: number; seconds: number };
}

async function memory(): Promise<MemoryFigures> {
  const api = await startApi('pglite, own thread');
  const pid = api.spawned.child.pid!;
  const snapshot = async () => ({ rss: await rssMiB(pid), peak: await peakRssMiB(pid) });
  const site = await startFixtureSite({ syntheticPages: plan.pages });
  try {
    const started = await snapshot();
    log(`started: ${mib(started.rss)} resident, peak ${mib(started.peak)}`);
    const first = await load(api.url, 0, askRequests, { connections: 8, amount: plan.answers });
    const firstThousand = { ...(await snapshot()), answers: first };
    log(`after ${plan.answers} answers: ${mib(firstThousand.rss)}, peak ${mib(firstThousand.peak)}`);
    const second = await load(api.url, 0, askRequests, { connections: 8, amount: plan.answers });
    const secondThousand = { ...(await snapshot()), answers: second };
    log(`after ${plan.answers} more: ${mib(secondThousand.rss)}, peak ${mib(secondThousand.peak)}`);
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${api.url}${path}`, {
        method,
        ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const source = await call<{ id: string }>('POST', '/v1/sources', {
      name: 'bench',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      maxPages: plan.pages + 10,
      crawlDelayMs: 0,
    });
    const ingestStarted = performance.now();
    const { runId } = await call<{ runId: string }>('POST', '/v1/ingest/runs', { sourceId: source.id });
    let pages = 0;
    for (;;) {
      const run = await call<{ status: string; error?: string; counts: { fetched: number } }>('GET', `/v1/ingest/runs/${runId}`);
      if (run.status === 'succeeded') {
        pages = run.counts.fetched;
        break;
      }
      if (run.status === 'failed' || run.status === 'cancelled') throw new Error(`the ingest run ${run.status}: ${run.error ?? ''}`);
      if (performance.now() - ingestStarted > 30 * 60_000) throw new Error('the ingest did not finish within 30 minutes');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const ingest = { ...(await snapshot()), pages, seconds: (performance.now() - ingestStarted) / 1000 };
    log(`after ingesting ${pages} pages in ${ingest.seconds.toFixed(1)} s: ${mib(ingest.rss)}, peak ${mib(ingest.peak)}`);
    return { started, firstThousand, secondThousand, ingest };
  } finally {
    await site.close();
    await api.close();
  }
}

const status = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : 'MISSED');

const loadAtStart = loadavg()[0]!;
const search = new Map<Setting, LoadResult>();
if (!onlyMemory)
  for (const setting of ['postgres', 'pglite, own thread', 'pglite, API thread'] as const)
    search.set(setting, await searchUnderLoad(setting));
const figures = await memory();

const postgres = search.get('postgres');
const rows: string[][] = [];
for (const setting of postgres ? (['pglite, own thread', 'pglite, API thread'] as const) : []) {
  if (!postgres) break;
  const result = search.get(setting)!;
  const throughput = result.requestsPerSecond / postgres.requestsPerSecond;
  const latency = result.p50 / Math.max(postgres.p50, 1);
  rows.push([
    `search throughput, 8 clients · ${setting} ÷ postgres`,
    `${result.requestsPerSecond.toFixed(0)} ÷ ${postgres.requestsPerSecond.toFixed(0)} req/s = ${throughput.toFixed(2)}×`,
    '≥ 0.8×',
    setting === 'pglite, own thread' ? status(throughput >= 0.8) : '— (before)',
  ]);
  rows.push([
    `search p50, 8 clients · ${setting} ÷ postgres`,
    `${ms(result.p50)} ÷ ${ms(postgres.p50)} = ${latency.toFixed(2)}× (p99 ${ms(result.p99)} vs ${ms(postgres.p99)})`,
    '≤ 1.3×',
    setting === 'pglite, own thread' ? status(latency <= 1.3) : '— (before)',
  ]);
}
const { started, firstThousand, secondThousand, ingest } = figures;
const growth = secondThousand.rss !== undefined && firstThousand.rss !== undefined ? secondThousand.rss - firstThousand.rss : undefined;
rows.push(
  ['peak RSS at start · pglite', mib(started.peak), '< 500 MiB', status(started.peak === undefined ? undefined : started.peak < 500)],
  [
    `RSS after ${plan.answers} answers · pglite`,
    `${mib(firstThousand.rss)} (${firstThousand.answers.requestsPerSecond.toFixed(0)} answers/s, ${firstThousand.answers.failures} failed)`,
    '< 350 MiB',
    status(firstThousand.rss === undefined ? undefined : firstThousand.rss < 350),
  ],
  [
    `RSS growth over a second ${plan.answers} answers · pglite`,
    growth === undefined ? 'n/a' : `${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MiB (${mib(secondThousand.rss)})`,
    '≤ +5% (none but noise)',
    status(growth === undefined ? undefined : growth <= 0.05 * firstThousand.rss!),
  ],
  [
    `peak RSS through an in-process ingest of ${ingest.pages} pages · pglite`,
    `${mib(ingest.peak)} (${(ingest.pages / ingest.seconds).toFixed(1)} pages/s; RSS after ${mib(ingest.rss)})`,
    '< 500 MiB',
    status(ingest.peak === undefined ? undefined : ingest.peak < 500),
  ],
);

const table = ['| row | figure | target | |', '|---|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
const section = `### The embedded default's speed and memory (embedded.bench.ts, issue 20)

Run ${new Date().toISOString()} on ${machine()}, load average ${loadAtStart.toFixed(1)} at the start. The API as \`npm start\` runs it (launcher, default request logging, starter corpus, a port the system picks), each setting in a fresh database, one after the other: autocannon with 8 connections for ${plan.searchSeconds} s of /v1/search (k 6) over the gold-set questions after a 2 s warm-up; then, on PGlite in its own thread, ${plan.answers} /v1/ask twice (8 connections) and an in-process ingest of the ${plan.pages}-page fixture site. RSS is VmRSS, peak is VmHWM, of the API's process (the PGlite thread included).

${table}`;
console.log(section);
if (!quick && !onlyMemory) {
  await writeSection(benchmarksPath, 'embedded.bench.ts', section);
  log(`written to ${benchmarksPath}`);
}
