import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { loadConfig } from '@cairn/core';
import { createEmbedder, type Embedder } from '@cairn/embed';
import { chunkOutline, createCrawler, runCrawl, type OutlineBlock } from '@cairn/ingest';
import { ingestQueueName, QueueRunner } from '@cairn/ingest/queue';
import { starterNotesDirectory } from '@cairn/starter-corpus';
import { Store } from '@cairn/store';
import { createTestDatabase, startFixtureSite, testRedisUrl } from '@cairn/testing';
import { measureDenseRecall, type DenseRecall } from '../dense-recall.js';
import type { Runtime } from './databases.js';
import { peakRssMiB, spawnCairn, startBenchApi } from './processes.js';

/** The embedder the configuration picks (the default: local-semantic-v2), its batches counted. */
async function countingEmbedder(): Promise<Embedder & { calls: number }> {
  const embedder = await createEmbedder(loadConfig());
  const counting = Object.create(embedder) as Embedder & { calls: number };
  counting.calls = 0;
  counting.embedDocuments = (texts, options) => {
    counting.calls += 1;
    return embedder.embedDocuments(texts, options);
  };
  return counting;
}

export interface FixtureIngest {
  /** The embedding model used: the configured default. */
  model: string;
  pages: number;
  passages: number;
  firstSeconds: number;
  /** Of the first ingest, the part after the pages were stored (and searchable): the HNSW build and the statistics. */
  firstIndexSeconds: number;
  secondSeconds: number;
  reEmbeddingCalls: number;
  unchanged: number;
  /** What the dense list keeps of the exact one over the ingested corpus, when asked for (`denseRecall`). */
  denseRecall?: DenseRecall | undefined;
}

/**
 * The fixture site crawled into an empty database, then again unchanged (as ingest.bench.ts).
 * PGlite as the embedded default runs it: in a data directory, in its own thread.
 */
export async function fixtureIngest(runtime: Runtime, pages: number, options: { denseRecall?: boolean } = {}): Promise<FixtureIngest> {
  const site = await startFixtureSite({ syntheticPages: pages });
  const testDatabase = runtime === 'postgres' ? await createTestDatabase('cairn_bench') : undefined;
  const dataDir = testDatabase ? undefined : await mkdtemp(join(tmpdir(), 'cairn-bench-ingest-'));
  const removeDataDir = async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  const store = await Store.open({ databaseUrl: testDatabase?.url, dataDir }).catch(async (error: unknown) => {
    await testDatabase?.drop();
    await removeDataDir();
    await site.close();
    throw error;
  });
  const crawler = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/bench', maxCrawlDelayMs: 0 });
  const embedder = await countingEmbedder();
  try {
    const source = await store.sources.upsert({
      name: 'bench',
      kind: 'web',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      maxPages: pages + 10,
      crawlDelayMs: 0,
    });
    const crawl = async () => {
      const started = performance.now();
      let indexing: number | undefined;
      const result = await runCrawl(
        { store, embedder, ...crawler },
        { sources: [source], onIndexing: () => (indexing = performance.now()) },
      );
      const ended = performance.now();
      return { seconds: (ended - started) / 1000, indexSeconds: indexing === undefined ? 0 : (ended - indexing) / 1000, result };
    };
    const first = await crawl();
    const denseRecall = options.denseRecall ? await measureDenseRecall(store, embedder) : undefined;
    const callsAfterFirst = embedder.calls;
    const second = await crawl();
    return {
      model: embedder.model,
      pages: first.result.counts.fetched,
      passages: first.result.counts.chunksAdded,
      firstSeconds: first.seconds,
      firstIndexSeconds: first.indexSeconds,
      secondSeconds: second.seconds,
      reEmbeddingCalls: embedder.calls - callsAfterFirst,
      unchanged: second.result.counts.unchanged,
      denseRecall,
    };
  } finally {
    await crawler.close();
    await store.close();
    await testDatabase?.drop();
    await removeDataDir();
    await site.close();
  }
}

/** Outline blocks of a markdown note: `#` lines are headings, blank lines end paragraphs. */
function markdownBlocks(markdown: string): OutlineBlock[] {
  const blocks: OutlineBlock[] = [];
  for (const paragraph of markdown.split(/\n\s*\n/)) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(paragraph.trim());
    if (heading) blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]!, anchor: null });
    else if (paragraph.trim()) blocks.push({ kind: 'text', text: paragraph });
  }
  return blocks;
}

const utf8Bytes = (blocks: readonly OutlineBlock[]) => blocks.reduce((sum, block) => sum + Buffer.byteLength(block.text), 0);

/** MB/s of chunkOutline over `documents` (each an outline), repeated until `megabytes` have gone through. */
function chunkingSpeed(documents: OutlineBlock[][], megabytes: number): { mbPerSecond: number; megabytes: number } {
  const target = megabytes * 1e6;
  let bytes = 0;
  let elapsed = 0;
  for (let index = 0; bytes < target; index += 1) {
    const document = documents[index % documents.length]!;
    const started = performance.now();
    chunkOutline(document);
    elapsed += performance.now() - started;
    bytes += utf8Bytes(document);
  }
  return { mbPerSecond: bytes / 1e6 / (elapsed / 1000), megabytes: bytes / 1e6 };
}

/** The pathological inputs: each one document of about `bytes` bytes. */
export function pathologicalCases(bytes: number): { name: string; blocks: OutlineBlock[] }[] {
  const fill = (unit: string) => unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
  const text = (value: string): OutlineBlock[] => [{ kind: 'text', text: value }];
  return [
    { name: 'one word, no space or punctuation', blocks: text(fill('a')) },
    { name: 'words, no sentence end', blocks: text(fill('lorem ipsum dolor ')) },
    { name: 'tiny sentences', blocks: text(fill('A. ')) },
    { name: 'punctuation only', blocks: text(fill('!?.,;:')) },
    { name: 'whitespace runs', blocks: text(fill('x \t \n  \u00a0 ')) },
    { name: 'CJK and emoji, no spaces', blocks: text(fill('漢字かな😀')) },
    {
      name: 'a heading on every line',
      blocks: Array.from({ length: Math.ceil(bytes / 8) }, (_, index): OutlineBlock =>
        index % 2 ? { kind: 'text', text: 'x.' } : { kind: 'heading', level: 1 + (index % 6), text: 'h', anchor: null },
      ),
    },
  ];
}

export async function chunkingSpeeds(options: { proseMegabytes: number; pathologicalMegabytes: number }) {
  const notes: OutlineBlock[][] = [];
  for (const file of (await readdir(starterNotesDirectory)).sort()) {
    const body = (await readFile(join(starterNotesDirectory, file), 'utf8')).split('\n---\n')[1] ?? '';
    notes.push(markdownBlocks(body));
  }
  chunkingSpeed(notes, 1); // warm up the JIT
  const prose = chunkingSpeed(notes, options.proseMegabytes);
  const pathological = pathologicalCases(options.pathologicalMegabytes * 1e6).map(({ name, blocks }) => {
    const megabytes = utf8Bytes(blocks) / 1e6;
    const started = performance.now();
    try {
      chunkOutline(blocks);
    } catch (error) {
      // A failure is a finding (a missed target), not the end of the run.
      return {
        name,
        megabytes,
        secondsPerMegabyte: Number.POSITIVE_INFINITY,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
    }
    const seconds = (performance.now() - started) / 1000;
    return { name, megabytes, secondsPerMegabyte: seconds / megabytes, error: undefined };
  });
  return { prose, pathological };
}

interface RunState {
  status: string;
  error: string | null;
  counts: { fetched: number };
}

/** Polls a run until it succeeds; throws with the process's output if it fails or takes over 30 minutes. */
async function untilSucceeded<Run extends RunState>(find: () => Promise<Run | undefined>, output: () => string): Promise<Run> {
  const started = performance.now();
  for (;;) {
    const run = await find();
    if (run?.status === 'succeeded') return run;
    if (run?.status === 'failed' || run?.status === 'cancelled') throw new Error(`the run ${run.status}: ${run.error ?? ''}\n${output()}`);
    if (performance.now() - started > 30 * 60_000) throw new Error(`the run did not finish within 30 minutes\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * `cairn worker` as its own process on server Postgres and Redis, crawling the fixture site
 * (first ingest); its peak RSS (VmHWM) once the run is done.
 */
export async function workerPeakRss(pages: number): Promise<{ peakMiB: number | undefined; pages: number; seconds: number }> {
  const site = await startFixtureSite({ syntheticPages: pages });
  const testDatabase = await createTestDatabase('cairn_bench');
  const store = await Store.open({ databaseUrl: testDatabase.url });
  const prefix = `bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const redisUrl = testRedisUrl();
  const worker = spawnCairn(['worker'], {
    DATABASE_URL: testDatabase.url,
    REDIS_URL: redisUrl,
    CAIRN_QUEUE_PREFIX: prefix,
    CAIRN_STARTER_CORPUS: 'off',
    INGEST_ALLOW_PRIVATE_NETWORKS: 'true',
    INGEST_MAX_CRAWL_DELAY_MS: '0',
    LOG_LEVEL: 'warn',
  });
  const queue = new QueueRunner(store, { redisUrl, prefix });
  try {
    const source = await store.sources.upsert({
      name: 'bench',
      kind: 'web',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      maxPages: pages + 10,
      crawlDelayMs: 0,
    });
    const startDeadline = performance.now() + 120_000;
    while (!worker.output().includes('worker started')) {
      if (worker.child.exitCode !== null || performance.now() > startDeadline)
        throw new Error(`cairn worker did not start:\n${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const started = performance.now();
    const runId = await queue.enqueue({ sourceId: source.id, trigger: 'cli' });
    const run = await untilSucceeded(() => store.runs.find(runId), worker.output);
    return { peakMiB: await peakRssMiB(worker.child.pid!), pages: run.counts.fetched, seconds: (performance.now() - started) / 1000 };
  } finally {
    await worker.stop();
    await queue.close();
    const bullQueue = new Queue(ingestQueueName, { connection: { url: redisUrl }, prefix });
    await bullQueue.obliterate({ force: true }).catch(() => undefined);
    await bullQueue.close();
    await store.close();
    await testDatabase.drop();
    await site.close();
  }
}

/**
 * On PGlite there is no separate worker: `cairn serve` runs ingestion in its own process
 * (in-process jobs). Its peak RSS (VmHWM) after crawling the fixture site through the API.
 */
export async function inProcessIngestPeakRss(pages: number): Promise<{ peakMiB: number | undefined; pages: number; seconds: number }> {
  const site = await startFixtureSite({ syntheticPages: pages });
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-pglite-'));
  const server = await startBenchApi({
    CAIRN_DATA_DIR: dataDir,
    CAIRN_STARTER_CORPUS: 'off',
    INGEST_ALLOW_PRIVATE_NETWORKS: 'true',
    INGEST_MAX_CRAWL_DELAY_MS: '0',
    RATE_LIMIT_MAX: '1000000',
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    await site.close();
    throw error;
  });
  const api = server.spawned;
  const base = server.url;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  try {
    const source = await call<{ id: string }>('POST', '/v1/sources', {
      name: 'bench',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      maxPages: pages + 10,
      crawlDelayMs: 0,
    });
    const started = performance.now();
    const { runId } = await call<{ runId: string }>('POST', '/v1/ingest/runs', { sourceId: source.id });
    const run = await untilSucceeded(() => call<RunState>('GET', `/v1/ingest/runs/${runId}`), api.output);
    return { peakMiB: await peakRssMiB(api.child.pid!), pages: run.counts.fetched, seconds: (performance.now() - started) / 1000 };
  } finally {
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
    await site.close();
  }
}
