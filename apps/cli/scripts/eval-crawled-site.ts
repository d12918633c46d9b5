/**
 * Scores a development set's questions over a built static site (HTML, as Hugo builds it)
 * crawled through Cairn's crawler, as a deployment crawls the published site: the directory
 * is served on loopback, a web source takes it as a mirror of `--public-base-url` (so pages
 * are stored and keyed under the public address), and each stage is scored as `cairn eval
 * --set` scores it (docs/evaluation.md), with hit@5 beside recall@5. `cairn eval --set`
 * reads markdown notes; this measures what extraction of the real pages changes.
 *
 *   # a Hugo build of github.com/lethain/staff-eng (its theme needs Hugo ≥ 0.120, or the
 *   # two template lines docs/evaluation.md names patched for Debian's 0.111)
 *   node --import tsx apps/cli/scripts/eval-crawled-site.ts /tmp/staff-eng-public \
 *     --questions packages/starter-corpus/dev-sets/staffeng/questions.json --public-base-url https://staffeng.com/
 *
 * The database is a new PGlite directory under the system's temporary folder (removed at
 * the end); the embedder is the configured one (EMBEDDING_MODEL, local-semantic-v2 by default).
 */
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@cairn/core';
import { meaningSimilarity } from '@cairn/embed';
import { runCrawl } from '@cairn/ingest';
import { evaluateRetrieval, FeatureReranker, Retriever, type GoldQuestion, type ModeScores } from '@cairn/retrieve';
import { openRuntime } from '@cairn/runtime';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { questions: { type: 'string' }, 'public-base-url': { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help || positionals.length !== 1 || !values.questions || !values['public-base-url']) {
  console.error('usage: eval-crawled-site.ts <built site directory> --questions <questions.json> --public-base-url <https://site/>');
  process.exit(values.help ? 0 : 2);
}
const root = resolve(positionals[0]!);
const questions = JSON.parse(await readFile(values.questions, 'utf8')) as GoldQuestion[];
const contentTypes: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.xml': 'application/xml', '.txt': 'text/plain' };

// The built site on loopback: a directory's index.html for its path, as a static host serves it.
const server = createServer((request, response) => {
  void (async () => {
    try {
      let path = join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://site').pathname));
      if (!path.startsWith(root)) throw new Error('outside the site');
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      response.writeHead(200, { 'content-type': contentTypes[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  })();
});
await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
const siteUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
const dataDir = await mkdtemp(join(tmpdir(), 'cairn-eval-crawled-'));
const runtime = await openRuntime(
  loadConfig({
    ...process.env,
    CAIRN_DATA_DIR: dataDir,
    CAIRN_STARTER_CORPUS: 'off',
    INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
    INGEST_MAX_CRAWL_DELAY_MS: '0',
    LOG_LEVEL: 'warn',
  }),
);
try {
  const source = await runtime.store.sources.upsert({
    name: 'site',
    kind: 'web',
    baseUrl: siteUrl,
    publicBaseUrl: values['public-base-url'],
    seeds: [`${siteUrl}sitemap.xml`],
    crawlDelayMs: 0,
  });
  const run = await runCrawl(
    { store: runtime.store, embedder: runtime.embedder, passageContext: runtime.passageContext, ...runtime.crawler },
    { sources: [source], trigger: 'cli' },
  );
  console.log(
    `crawled ${run.counts.fetched} pages (${run.counts.chunksAdded} passages), skipped ${run.counts.skipped}, failed ${run.counts.failed}`,
  );
  for (const item of await runtime.store.runs.items(run.runId))
    if (item.outcome === 'skipped' || item.outcome === 'failed') console.log(`  ${item.outcome} ${item.url}: ${item.error ?? ''}`);

  // A page is its URL path, as the sets name pages (`/guides/staff-archetypes`).
  const options = { documentKey: (result: { url: string }) => new URL(result.url).pathname.replace(/\/$/, '') || '/' };
  const first = await evaluateRetrieval(new Retriever(runtime.store, runtime.embedder), questions, {
    ...options,
    modes: ['keyword', 'dense', 'hybrid'],
  });
  const reranker = new FeatureReranker(meaningSimilarity(runtime.embedder));
  const [reranked] = await evaluateRetrieval(new Retriever(runtime.store, runtime.embedder, 'hybrid', { reranker }), questions, {
    ...options,
    modes: ['hybrid'],
  });
  const expected = new Map(questions.map((question) => [question.id, question.expected]));
  const hitAt5 = (scores: ModeScores) =>
    scores.perQuestion.filter((entry) => entry.retrieved.slice(0, 5).some((page) => expected.get(entry.id)?.includes(page))).length /
    Math.max(1, scores.perQuestion.length);
  console.log(`\n${questions.length} questions, ${runtime.embedder.model}: recall@5 / MRR@10 / nDCG@10, hit@5`);
  for (const [stage, scores] of [
    ['keyword', first[0]!],
    ['dense', first[1]!],
    ['fused', first[2]!],
    ['reranked', reranked!],
  ] as const)
    console.log(
      `${stage.padEnd(9)} ${scores.recallAt5.toFixed(3)} / ${scores.mrrAt10.toFixed(3)} / ${scores.ndcgAt10.toFixed(3)}   hit@5 ${hitAt5(scores).toFixed(3)}`,
    );
} finally {
  await runtime.close();
  server.close();
  await rm(dataDir, { recursive: true, force: true });
}
