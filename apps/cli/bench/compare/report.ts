export type Status = 'met' | 'MISSED' | 'not run' | '—';

export interface Row {
  section: number;
  label: string;
  figure: string;
  target: string;
  status: Status;
}

export const sections: Record<number, { title: string; note: string }> = {
  1: {
    title: '1. Search: Cairn against LangChain PGVectorStore',
    note: "Both layouts in the same database, the same vectors, query vectors and k = 10: Cairn's tables (chunks joined to documents and sources, vectors in `embeddings` with a partial HNSW index on `embedding::vector(d)`), searched by its dense statement (store.search.dense); LangChain's own table (id, text, metadata jsonb, embedding vector(d)) with its `createHnswIndex` (m 16, ef_construction 64, as Cairn's), searched by `similaritySearchVectorWithScore`. Each keeps its own session settings: Cairn ef_search 100 with iterative scans, LangChain pgvector's defaults (ef_search 40). Alternating queries, p50/p95 of the call in this process. Response bytes: what the database sends back for one search, counted on a `pg` socket (LangChain's statement is `SELECT *`, so each row carries its vector). On PGlite, LangChain reaches the embedded database over @electric-sql/pglite-socket (it only speaks `pg`), while Cairn queries it in process. Latency judged on p50.",
  },
  2: {
    title: '2. Index quality: HNSW against an exact scan (Cairn)',
    note: "Cairn's dense statement with the HNSW index at ef_search 40 and 100, against the same statement with index scans off (an exact scan). Speed-up: exact p50 ÷ HNSW p50 at ef_search 100 (Cairn's setting); its target applies at 100,000 chunks.",
  },
  3: {
    title: '3. Filtered search: a source filter keeping 10% of the rows',
    note: "The share of queries that return k = 10 rows, all from the filtered source. Cairn filters as the index is walked (pgvector's iterative scans, relaxed order); LangChain adds `WHERE metadata->>'source' = $3` to its HNSW query with pgvector's defaults (no iterative scan).",
  },
  4: {
    title: '4. Ingest and chunking',
    note: "Chunks stored per second: the same passages and vectors, one call per document of 20 chunks, HNSW index in place (a running service): Cairn's store.documents.replace (document, chunks, keyword postings and vectors in one transaction) against LangChain's `addVectors`; time in the store calls only. The 100,000-chunk sets are bulk-loaded with the index built after the rows, on both sides (figures below for information). Fixture site: loopback, local embedder, no crawl delay. Chunking: chunkOutline on the starter notes (prose) and on one-document pathological inputs.",
  },
  5: {
    title: '5. API under load (autocannon, 10 connections)',
    note: 'The API as `npm start` runs it, in its own process (its launcher and Node flags, default LOG_LEVEL with request logging, logs to a file, RATE_LIMIT_MAX 1000000, no API keys, a port the system picks) against two baselines answering the same body: a bare `node:http` server and a bare Fastify route (no plugins, no logging), each measured right after the other. /v1/search: hybrid search (local embedder) over the 10,000-chunk local set, gold-set questions.',
  },
  6: {
    title: '6. Memory',
    note: 'Peak RSS (VmHWM) of the `cairn serve` process after the /healthz and /v1/search loads above; of a `cairn worker` process (server Postgres, Redis) after crawling the fixture site; and, on PGlite, which has no separate worker, of `cairn serve` after crawling it with its in-process jobs (started through POST /v1/ingest/runs).',
  },
};

export const ratio = (value: number) => `${value.toFixed(value < 0.1 ? 3 : 2)}×`;
export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const count = (value: number) => value.toLocaleString('en-US');
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const statusOf = (met: boolean): Status => (met ? 'met' : 'MISSED');

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderTables(rows: readonly Row[]): string {
  const parts: string[] = [];
  for (const [id, { title, note }] of Object.entries(sections)) {
    const own = rows.filter((row) => row.section === Number(id));
    parts.push(
      `### ${title}\n\n${note}\n\n| row | figure | target | |\n|---|---|---|---|\n${own.map((row) => `| ${cell(row.label)} | ${cell(row.figure)} | ${cell(row.target)} | ${row.status} |`).join('\n')}`,
    );
  }
  return parts.join('\n\n');
}

/**
 * The rows of a section this bench wrote before (in `markdown`, the file holding it) that
 * a partial run (BENCH_SKIP) did not measure again: every row whose label is not in
 * `measured`, each marked with the run that measured it: `(run of 2026-11-24T09:46)`.
 */
export function carriedRows(markdown: string, measured: ReadonlySet<string>): Row[] {
  const start = markdown.indexOf('<!-- compare.bench.ts: start -->');
  const end = markdown.indexOf('<!-- compare.bench.ts: end -->');
  if (start < 0 || end < start) return [];
  // The run that wrote the section: its rows say so, and keep saying so when carried again.
  const runDate =
    /Cairn against LangChain and bare Postgres\/Node, (\d{4}-\d\d-\d\dT\d\d:\d\d)/.exec(markdown.slice(start, end))?.[1] ??
    'an earlier date';
  const rows: Row[] = [];
  let section = 0;
  for (const line of markdown.slice(start, end).split('\n')) {
    const heading = /^### (\d+)\./.exec(line);
    if (heading) section = Number(heading[1]);
    const cells = line.startsWith('| ')
      ? line
          .slice(2, -2)
          .split(/ (?<!\\)\| /)
          .map((text) => text.replace(/\\\|/g, '|'))
      : [];
    if (cells.length !== 4 || cells[0] === 'row' || measured.has(cells[0]!)) continue;
    const figure = /\(run of [^)]*\)$/.test(cells[1]!) ? cells[1]! : `${cells[1]} (run of ${runDate})`;
    rows.push({ section, label: cells[0]!, figure, target: cells[2]!, status: cells[3] as Status });
  }
  return rows;
}

export { machine } from '../docs-section.js';
