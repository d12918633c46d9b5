import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import { Retriever, type ListStatements } from '@cairn/retrieve';
import { createReranker, openRuntime } from '@cairn/runtime';
import { loadGoldSet } from '@cairn/starter-corpus';
import { Store, type Database, type Queryable, type QueryOptions } from '@cairn/store';
import { createTestDatabase } from '@cairn/testing';

/** One statement as a retrieval ran it: what it was, and when it started and ended. */
interface StatementRecord {
  label: string;
  sql: string;
  params: readonly unknown[];
  started: number;
  ended: number;
}

/** What a statement of retrieval is, from its text. */
function labelOf(sql: string): string {
  const dense = sql.includes('<=>');
  const keyword = sql.includes('from keyword_postings');
  if (dense && keyword) return 'both lists, one statement';
  if (dense) return 'dense list';
  if (keyword) return 'keyword list';
  if (sql.includes('from corpus_version')) return "the corpus's version";
  return 'hydration';
}

/** The database with every statement recorded into `records.recording` while it is set. */
function recordingDatabase(database: Database, records: { recording: StatementRecord[] | undefined }): Database {
  const query = async <Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<Row[]> => {
    const started = performance.now();
    const rows = await database.query<Row>(sql, params, options);
    records.recording?.push({ label: labelOf(sql), sql, params, started, ended: performance.now() });
    return rows;
  };
  return {
    runtime: database.runtime,
    query,
    exec: (sql) => database.exec(sql),
    transaction: (work) => database.transaction(work),
    session: (work) => database.session(work),
    close: () => database.close(),
  };
}

/** Milliseconds covered by a set of intervals (overlaps counted once). */
function covered(intervals: readonly [number, number][]): number {
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total;
}

export function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}
const median = (values: readonly number[]) => percentile(values, 0.5);

async function serverTimes(database: Queryable, sql: string, params: readonly unknown[]): Promise<{ planning: number; execution: number }> {
  const [row] = await database.query<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>(
    `explain (analyze, format json) ${sql}`,
    params,
  );
  const plan = row!['QUERY PLAN'][0];
  return { planning: plan['Planning Time'], execution: plan['Execution Time'] };
}

/** One way of running the lists, as measured. */
export interface RetrievalVariantFigures {
  listStatements: ListStatements;
  /** Whether search held the corpus in memory (SearchRepository.holdsCorpus): the dense list then needs no statement. */
  memory: boolean;
  /** retrieve() as an entry point calls it, in this process. */
  p50: number;
  p95: number;
  /** Statements (round trips to the database) per retrieve(), p50. */
  statements: number;
  /** p50 per retrieve(): embedding the query, the database's busy time, and the rest (JavaScript, waiting). */
  embedMs: number;
  databaseMs: number;
  javascriptMs: number;
  /**
   * CPU time of this process per retrieve(), p50: on PGlite all of retrieval's work, which a
   * busy machine stretches less than the wall-clock time; on Postgres the client's share.
   */
  cpuMs: number;
}

export interface StarterRetrievalFigures {
  runtime: 'postgres' | 'pglite';
  passages: number;
  /** Passages search held in memory after the warm-up (0: none; see CorpusMemory). */
  heldPassages: number;
  k: number;
  /** What ships (the Retriever's default for this database) first, then the other form. */
  variants: RetrievalVariantFigures[];
  /**
   * Each statement (p50): as the retriever saw it (with any wait for the connection), run
   * alone, and the server's planning and execution time in it (EXPLAIN ANALYZE).
   */
  byStatement: { label: string; clientMs: number; aloneMs: number; planningMs: number; executionMs: number; rows: number }[];
  /** `select 1`: one round trip with no work. */
  roundTripMs: number;
  /** openRuntime on an empty database, which loads the starter corpus. */
  loadSeconds: number;
}

/**
 * Retrieval over the starter corpus as the embedded default runs it: openRuntime on an
 * empty database (which loads the starter notes), its search embedder and reranker, k = 6
 * as /v1/ask asks, the gold-set questions in turn after a warm-up. Both forms of the lists
 * (two statements, one statement) are measured, alternating question by question so that
 * the machine's load falls on both alike. Every statement is recorded with its start and
 * end, so that a retrieval's time splits into embedding the query, the database's busy time
 * and the rest; statements are then run again alone and under EXPLAIN ANALYZE.
 */
export async function measureStarterRetrieval(
  runtime: 'postgres' | 'pglite',
  options: { rounds: number; warmUp?: number },
): Promise<StarterRetrievalFigures> {
  const testDatabase = runtime === 'postgres' ? await createTestDatabase('cairn_bench_retrieval') : undefined;
  const dataDir = testDatabase ? undefined : await mkdtemp(join(tmpdir(), 'cairn-bench-retrieval-'));
  try {
    const config = loadConfig(testDatabase ? { DATABASE_URL: testDatabase.url } : { CAIRN_DATA_DIR: dataDir });
    const loadStarted = performance.now();
    const opened = await openRuntime(config, { search: true });
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    try {
      const records: { recording: StatementRecord[] | undefined } = { recording: undefined };
      const store = new Store(recordingDatabase(opened.store.database, records), { vectorIndexing: opened.store.vectorIndexing });
      let embedInterval: [number, number] | undefined;
      const embedder = Object.create(opened.searchEmbedder) as Embedder;
      embedder.embedQuery = async (text, embedOptions) => {
        const started = performance.now();
        const vector = await opened.searchEmbedder.embedQuery(text, embedOptions);
        embedInterval = [started, performance.now()];
        return vector;
      };
      const reranker = createReranker({ config, store, searchEmbedder: opened.searchEmbedder });
      const shipped = new Retriever(store, embedder, config.retrievalMode, { reranker });
      // The same database without the corpus in memory: what the statements alone cost, in both forms.
      const statementsOnly = new Store(recordingDatabase(opened.store.database, records), {
        vectorIndexing: opened.store.vectorIndexing,
        memoryMaxPassages: 0,
      });
      const forms: ListStatements[] = ['one', 'two'];
      const variants = [
        { listStatements: shipped.listStatements, memory: true },
        ...[shipped.listStatements, ...forms.filter((form) => form !== shipped.listStatements)].map((listStatements) => ({
          listStatements,
          memory: false,
        })),
      ].map(({ listStatements, memory }) => ({
        listStatements,
        memory,
        retriever: new Retriever(memory ? store : statementsOnly, embedder, config.retrievalMode, { reranker, listStatements }),
        totals: [] as number[],
        embeds: [] as number[],
        busy: [] as number[],
        occupied: [] as number[],
        counts: [] as number[],
        cpu: [] as number[],
      }));
      const questions = loadGoldSet().map((question) => question.question);
      const k = 6;
      for (let round = 0; round < (options.warmUp ?? 20); round += 1)
        for (const variant of variants) await variant.retriever.retrieve(questions[round % questions.length]!, { k });
      await store.search.memorySettled();
      const heldPassages = store.search.heldPassages(opened.searchEmbedder.model);

      const byLabel = new Map<string, { client: number[]; samples: StatementRecord[] }>();
      for (let round = 0; round < options.rounds; round += 1) {
        // Alternate which form goes first, so that neither always follows the other.
        const order = round % 2 === 0 ? variants : [...variants].reverse();
        for (const variant of order) {
          const recording: StatementRecord[] = [];
          records.recording = recording;
          embedInterval = undefined;
          const cpu = process.cpuUsage();
          const started = performance.now();
          await variant.retriever.retrieve(questions[round % questions.length]!, { k });
          variant.totals.push(performance.now() - started);
          const used = process.cpuUsage(cpu);
          variant.cpu.push((used.user + used.system) / 1000);
          records.recording = undefined;
          variant.counts.push(recording.length);
          variant.embeds.push(embedInterval ? embedInterval[1] - embedInterval[0] : 0);
          const intervals = recording.map((record) => [record.started, record.ended] as [number, number]);
          variant.busy.push(covered(intervals));
          // Embedding may overlap a statement (server Postgres runs the keyword list meanwhile).
          variant.occupied.push(covered(embedInterval ? [...intervals, embedInterval] : intervals));
          for (const record of recording) {
            const entry = byLabel.get(record.label) ?? { client: [], samples: [] };
            entry.client.push(record.ended - record.started);
            if (entry.samples.length < 10) entry.samples.push(record);
            byLabel.set(record.label, entry);
          }
        }
      }

      const database = opened.store.database;
      const byStatement: StarterRetrievalFigures['byStatement'] = [];
      for (const [label, { client, samples }] of byLabel) {
        const planning: number[] = [];
        const execution: number[] = [];
        const alone: number[] = [];
        const rows: number[] = [];
        for (const sample of samples)
          for (let repeat = 0; repeat < 3; repeat += 1) {
            const started = performance.now();
            rows.push((await database.query(sample.sql, sample.params)).length);
            alone.push(performance.now() - started);
            const times = await serverTimes(database, sample.sql, sample.params);
            planning.push(times.planning);
            execution.push(times.execution);
          }
        byStatement.push({
          label,
          clientMs: median(client),
          aloneMs: median(alone),
          planningMs: median(planning),
          executionMs: median(execution),
          rows: median(rows),
        });
      }
      const roundTrips: number[] = [];
      for (let round = 0; round < 200; round += 1) {
        const started = performance.now();
        await database.query('select 1');
        roundTrips.push(performance.now() - started);
      }
      const { chunks } = await opened.store.documents.countActive();
      return {
        runtime,
        passages: chunks,
        k,
        heldPassages,
        variants: variants.map((variant) => ({
          listStatements: variant.listStatements,
          memory: variant.memory,
          p50: median(variant.totals),
          p95: percentile(variant.totals, 0.95),
          statements: median(variant.counts),
          embedMs: median(variant.embeds),
          databaseMs: median(variant.busy),
          javascriptMs: median(variant.totals.map((total, index) => total - variant.occupied[index]!)),
          cpuMs: median(variant.cpu),
        })),
        byStatement,
        roundTripMs: median(roundTrips),
        loadSeconds,
      };
    } finally {
      await opened.close();
    }
  } finally {
    await testDatabase?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/** The figures as lines of text: the first names the target and whether what ships meets it. */
export function formatStarterRetrieval(figures: StarterRetrievalFigures, target: number): string[] {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const form = (variant: RetrievalVariantFigures) =>
    variant.memory
      ? `the corpus in memory (${figures.heldPassages} passages), both lists ranked there, one statement reads the corpus's version`
      : `without the corpus in memory, ${variant.listStatements === 'one' ? 'lists in one statement' : 'lists in two statements'}`;
  const [shipped, ...others] = figures.variants;
  const lines = [
    `retrieval on ${figures.runtime.padEnd(8)} (starter corpus, ${figures.passages} passages, k ${figures.k})  p50 ${ms(shipped!.p50)}, p95 ${ms(shipped!.p95)}   target p50 < ${target} ms   ${shipped!.p50 < target ? 'met' : 'MISSED'}`,
  ];
  for (const variant of figures.variants)
    lines.push(
      `  ${variant === shipped ? `${form(variant)} (the default here)` : form(variant)}: p50 ${ms(variant.p50)}, p95 ${ms(variant.p95)}; per retrieval (p50) embed the query ${ms(variant.embedMs)}, database busy ${ms(variant.databaseMs)} in ${variant.statements} statements, the rest (JavaScript, waiting) ${ms(variant.javascriptMs)}; CPU time of this process ${ms(variant.cpuMs)}`,
    );
  if (others.length === 0) lines.push('  (one form only)');
  lines.push(`  one round trip (select 1) ${ms(figures.roundTripMs)}; the statements, p50:`);
  for (const statement of figures.byStatement)
    lines.push(
      `  ${statement.label.padEnd(26)} ${ms(statement.clientMs)} in retrieval, ${ms(statement.aloneMs)} alone, of which server planning ${ms(statement.planningMs)} and execution ${ms(statement.executionMs)}; ${statement.rows} rows`,
    );
  return lines;
}
