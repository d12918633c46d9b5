/**
 * Cairn measured side by side against what users would pick instead: LangChain JS's
 * PGVectorStore on the same database and bare Postgres/Node, on server Postgres and on
 * PGlite, in one run. Six sections, each row with its figure, its target and met/MISSED
 * (printed, not asserted: timings on shared machines are noisy):
 *   1. search latency and response bytes against similaritySearchVectorWithScore;
 *   2. HNSW recall@10 and speed-up against an exact scan;
 *   3. filtered search: the share of queries that return k rows;
 *   4. ingest: chunks/s against addVectors, first ingest against re-ingest, chunking speed;
 *   5. API: autocannon against /healthz, /v1/search and a bare node:http server;
 *   6. memory: peak RSS of the API and of the worker.
 * Run: npm run bench (all benches) or `node --import tsx apps/cli/bench/compare.bench.ts`.
 * Full sizes by default (10,000 and 100,000 chunks, 1,000 pages); `--quick` (or
 * BENCH_QUICK=1) runs small sizes to check the harness and writes to a temporary file
 * instead of docs/benchmarks.md. Needs Postgres with pgvector (TEST_DATABASE_URL or
 * 127.0.0.1:5432) and Redis (TEST_REDIS_URL or 127.0.0.1:6379).
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGoldSet } from '@cairn/starter-corpus';
import { BenchCorpus, starterSentences, type VectorKind } from './compare/corpus.js';
import { openBenchDatabase, type BenchDatabase, type Runtime } from './compare/databases.js';
import { loadCairn, loadLangChain, type LoadResult } from './compare/load.js';
import { chunkingSpeeds, fixtureIngest, inProcessIngestPeakRss, workerPeakRss } from './compare/measure-ingest.js';
import { compareFiltered, compareSearch, indexQuality } from './compare/measure-search.js';
import { load, peakRssMiB, startBareServer, startBenchApi } from './compare/processes.js';
import { carriedRows, count, kib, machine, ms, ratio, renderTables, statusOf, type Row } from './compare/report.js';
import { benchmarksPath, writeSection } from './docs-section.js';
import { loadBenchSettings } from '@cairn/core';

const benchSettings = loadBenchSettings();
const quick = benchSettings.quick;
const plan = quick
  ? {
      sizes: [400],
      rounds: 40,
      warmUp: 5,
      recallQueries: 20,
      filteredQueries: 20,
      pages: 100,
      loadSeconds: 2,
      proseMegabytes: 2,
      pathologicalMegabytes: 0.25,
    }
  : {
      sizes: [10_000, 100_000],
      rounds: 200,
      warmUp: 20,
      recallQueries: 100,
      filteredQueries: 100,
      pages: 1000,
      loadSeconds: 10,
      proseMegabytes: 20,
      pathologicalMegabytes: 1,
    };
/**
 * Past this estimate, a PGlite data set is reported as not run rather than loaded:
 * BENCH_PGLITE_LIMIT_MINUTES (default 15; `none` loads whatever the estimate).
 */
const pgliteLoadLimitMinutes = benchSettings.pgliteLimitMinutes;
const runtimes: Runtime[] = ['postgres', 'pglite'];
const kinds: VectorKind[] = ['clustered-1536', 'local-512'];
const largest = Math.max(...plan.sizes);
/**
 * Data sets to leave out (runtime/kind/size, comma-separated), to finish an interrupted run
 * or measure one set again: BENCH_SKIP=postgres/local-512/100000. The rows this run does
 * not measure are carried over from the section the last run wrote.
 */
const skipped = new Set(benchSettings.skip);
const apiSize = plan.sizes[0]!;

const rows: Row[] = [];
const add = (row: Row) => {
  rows.push(row);
  console.log(`[${row.section}] ${row.label}: ${row.figure} (target ${row.target}) ${row.status}`);
};
const started = performance.now();
const log = (line: string) => console.log(`  … ${((performance.now() - started) / 1000).toFixed(0)} s: ${line}`);

const sentences = await starterSentences();
/** The 10,000-chunk (first size) in-place loads of each runtime and kind, for the PGlite estimate and the ingest rows. */
const firstLoads = new Map<string, { cairn: LoadResult; langchain: LoadResult }>();

function notRun(runtime: Runtime, kind: VectorKind, size: number, reason: string) {
  const tag = `${kind} · ${count(size)} · ${runtime}`;
  for (const [section, label, target] of [
    [1, 'search latency', '≤ 1.0× LangChain p50'],
    [1, 'search response bytes', '≤ 0.1× LangChain'],
    [2, 'recall@10 ef_search 40', '≥ 0.95'],
    [2, 'recall@10 ef_search 100', '≥ 0.95'],
    [2, 'exact ÷ HNSW p50', '≥ 10×'],
    [3, 'filtered search, k rows returned', '100%'],
  ] as const) {
    add({ section, label: `${label} · ${tag}`, figure: `not run: ${reason}`, target, status: 'not run' });
  }
}

async function apiRows(database: BenchDatabase, searchP50: Map<Runtime, number>, model: string) {
  const runtime = database.runtime;
  await database.closeStore();
  // The API embeds queries with the model of the stored vectors: with any other (the default is
  // local-semantic-v2) it would start re-embedding the corpus in the background under the load.
  const started = await startBenchApi({
    ...database.serveEnvironment,
    EMBEDDING_MODEL: model,
    CAIRN_STARTER_CORPUS: 'off',
    RATE_LIMIT_MAX: '1000000',
  });
  const api = started.spawned;
  try {
    const baseline = async (kind: 'node' | 'fastify') => {
      const bare = await startBareServer(kind);
      try {
        return await load(`${bare.url}/healthz`, plan.loadSeconds);
      } finally {
        await bare.stop();
      }
    };
    const bareLoad = await baseline('node');
    const fastifyLoad = await baseline('fastify');
    const health = await load(`${started.url}/healthz`, plan.loadSeconds);
    const share = health.requestsPerSecond / bareLoad.requestsPerSecond;
    const failures = health.failures + bareLoad.failures + fastifyLoad.failures;
    add({
      section: 5,
      label: `/healthz vs bare node:http · ${runtime}`,
      figure: `${count(Math.round(health.requestsPerSecond))} req/s (p50 ${health.p50} ms) against ${count(Math.round(bareLoad.requestsPerSecond))} req/s (p50 ${bareLoad.p50} ms) = ${ratio(share)}; a bare Fastify route ${count(Math.round(fastifyLoad.requestsPerSecond))} req/s (p50 ${fastifyLoad.p50} ms), the API ${ratio(health.requestsPerSecond / fastifyLoad.requestsPerSecond)} of it${failures ? `, ${failures} failed` : ''}`,
      target: '≥ 0.9× bare Node',
      status: statusOf(share >= 0.9 && health.failures === 0),
    });
    const questions = loadGoldSet().map((question) => question.question);
    const search = await load(
      started.url,
      plan.loadSeconds,
      questions.map((query) => ({
        method: 'POST',
        path: '/v1/search',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, k: 10 }),
      })),
    );
    searchP50.set(runtime, search.p50);
    add({
      section: 5,
      label: `/v1/search under load · ${runtime}`,
      figure: `${count(Math.round(search.requestsPerSecond))} req/s, p50 ${search.p50} ms, p99 ${search.p99} ms (${count(apiSize)} chunks)${search.failures ? `, ${search.failures} failed` : ''}`,
      target: '—',
      status: search.failures ? 'MISSED' : '—',
    });
    const peak = await peakRssMiB(api.child.pid!);
    add({
      section: 6,
      label: `peak RSS · API under /v1/search load · ${runtime}`,
      figure: peak === undefined ? 'not measured (no /proc)' : `${peak.toFixed(0)} MiB`,
      target: '— (reported)',
      status: '—',
    });
  } finally {
    await api.stop();
  }
}

const searchP50 = new Map<Runtime, number>();
for (const runtime of runtimes) {
  for (const kind of kinds) {
    for (const size of plan.sizes) {
      const tag = `${kind} · ${count(size)} · ${runtime}`;
      const indexAfter = size === largest && plan.sizes.length > 1;
      if (skipped.has(`${runtime}/${kind}/${size}`)) {
        log(`${tag} left out (BENCH_SKIP)`);
        continue;
      }
      if (runtime === 'pglite' && indexAfter) {
        const first = firstLoads.get(`${runtime}/${kind}`);
        const estimate = first
          ? ((size / plan.sizes[0]!) * (first.cairn.seconds + first.langchain.seconds)) / 60
          : Number.POSITIVE_INFINITY;
        if (estimate > pgliteLoadLimitMinutes && Number.isFinite(pgliteLoadLimitMinutes)) {
          notRun(
            runtime,
            kind,
            size,
            `loading both layouts estimated at ~${estimate.toFixed(0)} min (${size / plan.sizes[0]!} × the ${count(plan.sizes[0]!)}-chunk loads), over the ${pgliteLoadLimitMinutes} min limit`,
          );
          add({
            section: 4,
            label: `bulk load, index after · ${tag}`,
            figure: `not run: estimated ~${estimate.toFixed(0)} min`,
            target: '— (reported)',
            status: 'not run',
          });
          continue;
        }
      }
      log(`loading ${tag}`);
      const database = await openBenchDatabase(runtime);
      try {
        const corpus = new BenchCorpus(kind, size, sentences);
        const cairn = (await loadCairn(database.store, corpus, { indexAfter })) as LoadResult;
        log(`Cairn stored ${count(size)} chunks in ${cairn.seconds.toFixed(1)} s (+ index ${cairn.indexSeconds.toFixed(1)} s)`);
        const langchain = (await loadLangChain(database.connectionString, corpus, { indexAfter })) as LoadResult;
        log(`LangChain stored ${count(size)} chunks in ${langchain.seconds.toFixed(1)} s (+ index ${langchain.indexSeconds.toFixed(1)} s)`);
        if (indexAfter) {
          add({
            section: 4,
            label: `bulk load, index after · ${tag}`,
            figure: `Cairn ${cairn.seconds.toFixed(0)} s + index ${cairn.indexSeconds.toFixed(0)} s; LangChain ${langchain.seconds.toFixed(0)} s + index ${langchain.indexSeconds.toFixed(0)} s`,
            target: '— (reported)',
            status: '—',
          });
        } else {
          firstLoads.set(`${runtime}/${kind}`, { cairn, langchain });
          const cairnRate = size / cairn.seconds;
          const langchainRate = size / langchain.seconds;
          add({
            section: 4,
            label: `ingest chunks/s stored · ${tag}`,
            figure: `Cairn ${cairnRate.toFixed(0)}/s against addVectors ${langchainRate.toFixed(0)}/s = ${ratio(cairnRate / langchainRate)}`,
            target: '≥ 1.5× addVectors',
            status: statusOf(cairnRate / langchainRate >= 1.5),
          });
        }
        const queries = corpus.queries(Math.max(plan.recallQueries, plan.filteredQueries, 65));
        const search = await compareSearch(database, corpus, queries, { rounds: plan.rounds, warmUp: plan.warmUp });
        // Judged against the faster of LangChain as shipped and LangChain tuned: a target is met
        // only if it holds against both.
        const latency = search.cairn.p50 / search.langchain.p50;
        const latencyTuned = search.cairn.p50 / search.langchainTuned.p50;
        const full = search.fullResults;
        const incomplete = [full.cairn, full.langchain, full.langchainTuned].some((rounds) => rounds < full.rounds);
        add({
          section: 1,
          label: `search latency · ${tag}`,
          figure: `Cairn p50 ${ms(search.cairn.p50)}, p95 ${ms(search.cairn.p95)}; LangChain default p50 ${ms(search.langchain.p50)}, p95 ${ms(search.langchain.p95)} (${search.langchain.plan}), ${ratio(latency)}; LangChain tuned p50 ${ms(search.langchainTuned.p50)}, p95 ${ms(search.langchainTuned.p95)} (${search.langchainTuned.plan}), ${ratio(latencyTuned)}${incomplete ? ` (k rows: Cairn ${full.cairn}, LangChain ${full.langchain}, tuned ${full.langchainTuned} of ${full.rounds})` : ''}`,
          target: '≤ 1.0× LangChain p50 (default and tuned)',
          status: statusOf(latency <= 1 && latencyTuned <= 1),
        });
        const bytes = search.cairn.bytes / search.langchain.bytes;
        add({
          section: 1,
          label: `search response bytes · ${tag}`,
          figure: `Cairn ${kib(search.cairn.bytes)}; LangChain ${kib(search.langchain.bytes)}; ${ratio(bytes)}`,
          target: '≤ 0.1× LangChain',
          status: statusOf(bytes <= 0.1),
        });
        log('search compared');
        const quality = await indexQuality(database, corpus, queries.slice(0, plan.recallQueries));
        for (const [ef, recall] of [
          [40, quality.recall40],
          [100, quality.recall100],
        ] as const) {
          add({
            section: 2,
            label: `recall@10 ef_search ${ef} · ${tag}`,
            figure: `${recall.toFixed(3)} over ${quality.queries} queries`,
            target: '≥ 0.95',
            status: statusOf(recall >= 0.95),
          });
        }
        const speedUp = quality.exactP50 / quality.hnswP50;
        add({
          section: 2,
          label: `exact ÷ HNSW p50 · ${tag}`,
          figure: `exact ${ms(quality.exactP50)} ÷ HNSW ${ms(quality.hnswP50)} = ${speedUp.toFixed(1)}×`,
          target: size >= 100_000 ? '≥ 10×' : '— (≥ 10× at 100,000)',
          status: size >= 100_000 ? statusOf(speedUp >= 10) : '—',
        });
        log('index quality measured');
        const filtered = await compareFiltered(database, corpus, queries.slice(0, plan.filteredQueries));
        add({
          section: 3,
          label: `filtered search, k rows returned · ${tag}`,
          figure: `Cairn ${(filtered.cairn.share * 100).toFixed(0)}% (p50 ${ms(filtered.cairn.p50)}); LangChain ${(filtered.langchain.share * 100).toFixed(0)}% (p50 ${ms(filtered.langchain.p50)}) of ${filtered.queries} queries`,
          target: '100%',
          status: statusOf(filtered.cairn.share === 1),
        });
        if (kind === 'local-512' && size === apiSize) {
          log('API under load');
          await apiRows(database, searchP50, corpus.model);
        }
      } finally {
        await database.drop();
      }
    }
  }
}

const postgresSearch = searchP50.get('postgres');
const pgliteSearch = searchP50.get('pglite');
if (postgresSearch !== undefined && pgliteSearch !== undefined) {
  const share = pgliteSearch / postgresSearch;
  add({
    section: 5,
    label: '/v1/search PGlite ÷ Postgres p50',
    figure: `${pgliteSearch} ms ÷ ${postgresSearch} ms = ${ratio(share)}`,
    target: '≤ 2×',
    status: statusOf(share <= 2),
  });
}

for (const runtime of runtimes) {
  log(`fixture site ingest on ${runtime}`);
  const result = await fixtureIngest(runtime, plan.pages);
  const share = result.secondSeconds / result.firstSeconds;
  add({
    section: 4,
    label: `first ingest vs re-ingest unchanged · ${count(plan.pages)} pages · ${runtime}`,
    figure: `first ${result.firstSeconds.toFixed(1)} s (${result.pages} pages, ${count(result.passages)} passages, ${result.model}; the HNSW build after the pages ${result.firstIndexSeconds.toFixed(1)} s); again ${result.secondSeconds.toFixed(1)} s = ${(share * 100).toFixed(1)}%, ${result.reEmbeddingCalls} embedding calls, ${result.unchanged} unchanged`,
    target: '≤ 10%, 0 calls',
    status: statusOf(share <= 0.1 && result.reEmbeddingCalls === 0),
  });
}

log('chunking');
const chunking = await chunkingSpeeds({ proseMegabytes: plan.proseMegabytes, pathologicalMegabytes: plan.pathologicalMegabytes });
add({
  section: 4,
  label: 'chunking · prose',
  figure: `${chunking.prose.mbPerSecond.toFixed(1)} MB/s over ${chunking.prose.megabytes.toFixed(1)} MB`,
  target: '≥ 20 MB/s',
  status: statusOf(chunking.prose.mbPerSecond >= 20),
});
for (const pathological of chunking.pathological) {
  add({
    section: 4,
    label: `chunking · pathological: ${pathological.name}`,
    figure: pathological.error
      ? `failed on ${pathological.megabytes.toFixed(2)} MB: ${pathological.error}`
      : `${pathological.secondsPerMegabyte.toFixed(3)} s per MB (${pathological.megabytes.toFixed(2)} MB)`,
    target: '≤ 1 s per MB',
    status: statusOf(pathological.secondsPerMegabyte <= 1),
  });
}

log(`cairn worker, ${plan.pages}-page ingest`);
const worker = await workerPeakRss(plan.pages);
add({
  section: 6,
  label: `peak RSS · worker, ${count(plan.pages)}-page ingest · postgres`,
  figure:
    worker.peakMiB === undefined
      ? 'not measured (no /proc)'
      : `${worker.peakMiB.toFixed(0)} MiB (${worker.pages} pages in ${worker.seconds.toFixed(1)} s)`,
  target: '— (reported)',
  status: '—',
});

log(`cairn serve on PGlite, in-process ${plan.pages}-page ingest`);
const inProcess = await inProcessIngestPeakRss(plan.pages);
add({
  section: 6,
  label: `peak RSS · API running the ingest in process, ${count(plan.pages)}-page ingest · pglite`,
  figure:
    inProcess.peakMiB === undefined
      ? 'not measured (no /proc)'
      : `${inProcess.peakMiB.toFixed(0)} MiB (${inProcess.pages} pages in ${inProcess.seconds.toFixed(1)} s; PGlite has no separate worker)`,
  target: '— (reported)',
  status: '—',
});

// The settings that change what is measured, as they were given, so that the header says how to run it again.
const settings = Object.entries(benchSettings.given)
  .map(([name, value]) => `${name}=${value} `)
  .join('');
const command = `${settings}${quick ? 'node --import tsx apps/cli/bench/compare.bench.ts --quick' : 'npm run bench (apps/cli/bench/compare.bench.ts)'}`;
const output = quick ? join(tmpdir(), `cairn-bench-quick-${process.pid}.md`) : benchmarksPath;
const carried = skipped.size > 0 ? carriedRows(await readFile(output, 'utf8').catch(() => ''), new Set(rows.map((row) => row.label))) : [];
rows.push(...carried);
const header = [
  `Cairn against LangChain and bare Postgres/Node, ${new Date().toISOString()}`,
  `machine: ${machine()}`,
  `command: ${command}${quick ? ' (quick sizes: a harness check, not figures to quote)' : ''}`,
  `duration: ${((performance.now() - started) / 60_000).toFixed(1)} min`,
  ...(carried.length
    ? [
        `left out: BENCH_SKIP=${[...skipped].join(',')}; ${carried.length} rows not measured again are carried over from the section before, each marked with the run that measured it`,
      ]
    : []),
].join('\n');
const section = `## Cairn side by side (compare.bench.ts)\n\n\`\`\`text\n${header}\n\`\`\`\n\n${renderTables(rows)}\n`;
console.log(`\n${section}`);
await writeSection(output, 'compare.bench.ts', section);
console.log(`written to ${output}`);
