/**
 * What the dense list keeps of the exact one at a scale the development sets cannot give,
 * for HNSW build parameters side by side: the synthetic fixture site (6 passages a page)
 * crawled into server Postgres, then for each `m:ef_construction` the meaning index built
 * again with them (timed) and the starter gold set's and the development sets' questions
 * asked (measureDenseRecall: the share of the exact top 10 and top 50 kept, the worst
 * question's, the statement's p50).
 *
 *   node --import tsx apps/cli/scripts/hnsw-recall-at-scale.ts [--pages 5000] [--params 16:64,12:40]
 *
 * Needs TEST_DATABASE_URL's Postgres with pgvector (a database is made and dropped). About
 * two minutes for 5,000 pages here, then about 15 s a parameter set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@cairn/core';
import { createEmbedder } from '@cairn/embed';
import { createCrawler, runCrawl } from '@cairn/ingest';
import { loadGoldSet } from '@cairn/starter-corpus';
import { hnswIndexName, Store } from '@cairn/store';
import { createTestDatabase, startFixtureSite } from '@cairn/testing';
import { measureDenseRecall } from '../bench/dense-recall.js';
import { devSetsDirectory } from '../src/eval/dev-set.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '5000' },
    params: { type: 'string', default: '16:64,12:40' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('usage: hnsw-recall-at-scale.ts [--pages 5000] [--params m:ef_construction,...] (pgvector default 16:64)');
  process.exit(0);
}
const pages = Number(values.pages);
const params = values.params.split(',').map((pair) => pair.split(':').map(Number) as [number, number]);
if (!Number.isInteger(pages) || pages < 1 || params.some(([m, ef]) => !(m >= 2 && ef >= 2 * m))) {
  console.error('--pages takes a whole number; --params pairs m:ef_construction with ef_construction ≥ 2m');
  process.exit(2);
}

const devQuestions = ['staffeng', 'seangoedecke'].flatMap((set) =>
  (JSON.parse(readFileSync(join(devSetsDirectory, set, 'questions.json'), 'utf8')) as { question: string }[]).map(
    (entry) => entry.question,
  ),
);
const questions = [...loadGoldSet().map((gold) => gold.question), ...devQuestions];

const site = await startFixtureSite({ syntheticPages: pages });
const database = await createTestDatabase('cairn_hnsw_recall');
const store = await Store.open({ databaseUrl: database.url });
const crawler = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/bench', maxCrawlDelayMs: 0 });
try {
  const embedder = await createEmbedder(loadConfig());
  if (!embedder.meaningDimensions) throw new Error(`${embedder.model} has no meaning part: its dense list is the index's alone`);
  const source = await store.sources.upsert({
    name: 'recall',
    kind: 'web',
    baseUrl: `${site.url}/bench/`,
    seeds: [`${site.url}/sitemap-bench.xml`],
    maxPages: pages + 10,
    crawlDelayMs: 0,
  });
  const started = performance.now();
  let last = 0;
  const result = await runCrawl(
    { store, embedder, ...crawler },
    {
      sources: [source],
      onProgress: (progress) => {
        if (performance.now() - last < 5000) return;
        last = performance.now();
        process.stderr.write(`  ${progress.done} of ${progress.discovered} pages…\n`);
      },
    },
  );
  const passages = result.counts.chunksAdded;
  console.log(
    `${result.counts.fetched} pages, ${passages} passages of ${embedder.model} in ${((performance.now() - started) / 1000).toFixed(0)} s; ${questions.length} questions`,
  );
  console.log('m  ef_construction  build     top 10 (worst)   top 50 (worst)   dense p50   exact p50');
  const index = hnswIndexName(embedder.model);
  const [definition] = await store.database.query<{ sql: string }>(`select pg_get_indexdef($1::regclass) as sql`, [index]);
  for (const [m, efConstruction] of params) {
    await store.database.exec(`drop index ${index}`);
    const building = performance.now();
    await store.database.exec(`${definition!.sql.replace(/ WHERE /, ` WITH (m = ${m}, ef_construction = ${efConstruction}) WHERE `)}`);
    const buildMs = performance.now() - building;
    const recall = (await measureDenseRecall(store, embedder, questions))!;
    console.log(
      `${String(m).padEnd(3)}${String(efConstruction).padEnd(17)}${(buildMs / 1000).toFixed(1).padStart(5)} s   ` +
        `${recall.top10.toFixed(3)} (${recall.top10Worst.toFixed(2)})     ${recall.top50.toFixed(3)} (${recall.top50Worst.toFixed(2)})     ` +
        `${recall.shippedMs.toFixed(1).padStart(5)} ms   ${recall.exactMs.toFixed(1).padStart(5)} ms`,
    );
  }
} finally {
  await crawler.close();
  await store.close();
  await database.drop();
  await site.close();
}
