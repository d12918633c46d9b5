import { createHash } from 'node:crypto';

/** How a statement is run. */
export interface QueryOptions {
  /**
   * Keeps the statement prepared on each connection that runs it, for a statement run often
   * with other parameters (search): server Postgres parses it once per connection and, after
   * its first executions, reuses a generic plan (planning the lists of a search took 0.6 ms of
   * their 2.5 ms). On PGlite the statement is named on its one connection through the wire
   * protocol (PglitePreparedStatements): parsed once, then each run one call into WebAssembly
   * instead of five, with no planning after the first runs. Each text stays
   * prepared for the connection's life, so only statements of a bounded set of texts should
   * ask (search's; see SearchRepository). Behind a pooler in transaction mode (PgBouncer
   * before 1.21), named statements do not survive: connect Cairn to Postgres directly.
   * `false` keeps a statement unprepared where the runner would prepare it (a statement of a
   * PGlite procedure whose text is built for its input: PglitePreparedStatements.queryInTransaction).
   */
  prepared?: boolean;
}

/**
 * The name a prepared statement goes by: a hash of its text, so that one name never stands
 * for two texts. Mixed case: quote it in SQL.
 */
export function preparedStatementName(sql: string): string {
  return `cairn_${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}`;
}

/** Something that runs SQL: a database, a transaction or a dedicated connection. */
export interface Queryable {
  /** Runs one statement with parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<Row[]>;
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
}

/**
 * The work of one transaction, which a database may run where it runs: PGlite in its own
 * thread (PgliteThread) runs the whole of it in that thread, in one exchange, where
 * `transaction` sends each statement across and waits for the caller's next one while it
 * holds PGlite's one connection. A page's replacement (replaceDocument) is seven statements,
 * and the caller's thread, busy embedding the other pages in flight, answered late: the
 * database's thread stood idle a third of a 1,000-page ingest. Arguments and result must
 * survive structured cloning; a procedure is found by its name in transactionProcedures.
 */
export interface TransactionProcedure<Args, Result> {
  readonly name: string;
  run(transaction: Queryable, args: Args): Promise<Result>;
}

/** Runs `procedure` with the database's own `procedure`, or in a `transaction` of it. */
export function runProcedure<Args, Result>(database: Database, procedure: TransactionProcedure<Args, Result>, args: Args): Promise<Result> {
  return database.procedure ? database.procedure(procedure, args) : database.transaction((transaction) => procedure.run(transaction, args));
}

/** One interface over the two runtimes: PGlite (embedded) and a `pg` pool (server Postgres). */
export interface Database extends Queryable {
  readonly runtime: 'pglite' | 'postgres';
  /**
   * PGlite: whether this open started a new database from the seed it was given (a snapshot);
   * false when the directory held a database, or other files, and the seed was left unused.
   */
  readonly seeded?: boolean;
  /**
   * PGlite: reopens the database with a larger buffer pool when its data has outgrown the one
   * it started with (see PgliteDatabase.growBufferPool); the sizes in MB when it did.
   */
  growBufferPool?(): Promise<{ from: number; to: number } | undefined>;
  /**
   * PGlite: the same in the middle of a run (see PgliteDatabase.growBufferPoolDuringRun);
   * checked at most once a second, so callable after every page.
   */
  growBufferPoolDuringRun?(): Promise<{ from: number; to: number } | undefined>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>;
  /** Runs `work` on one dedicated connection (session state such as advisory locks holds within it). */
  session<T>(work: (connection: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs a procedure in one transaction where the database runs (see TransactionProcedure);
   * a database without this method runs it through `transaction` (runProcedure).
   */
  procedure?<Args, Result>(procedure: TransactionProcedure<Args, Result>, args: Args): Promise<Result>;
  close(): Promise<void>;
}

/**
 * Session settings for vector search, applied to every connection: iterative index scans
 * keep a filtered search returning `k` rows, and ef_search covers the candidate lists.
 */
export const vectorSessionSettings = 'set hnsw.iterative_scan = relaxed_order; set hnsw.ef_search = 100;';

/** The same settings as server start-up options of a connection. */
export const vectorStartupOptions = '-c hnsw.iterative_scan=relaxed_order -c hnsw.ef_search=100';

/**
 * Memory settings of the embedded database, as start parameters after PGlite's own
 * (`shared_buffers` is sized apart: pgliteSharedBuffers). `maintenance_work_mem` bounds what
 * an HNSW build (deferred indexing at a run's end) takes, and so the peak. Measured in
 * docs/benchmarks.md ("The embedded default's memory").
 */
export const pgliteMemorySettings = ['maintenance_work_mem=32MB', 'temp_buffers=2MB'];

/** The least and the most buffer pool the embedded database gets (see pgliteSharedBuffers). */
export const pgliteSharedBuffersRange = { min: 16, max: 128 } as const;

/**
 * The embedded database's buffer pool, in MB, for a data directory holding `dataBytes` of
 * tables and indexes besides the system catalogs: one and a half times that, in steps of
 * 8 MB, between 16 and 128 MB. PGlite runs Postgres in one WebAssembly memory that grows and
 * never shrinks, and Postgres touches all of `shared_buffers` at start (at Postgres's default
 * of 128 MB, 146 MB of the server's resident memory over the starter corpus, 207 MB in all
 * with 16 MB), so a small corpus gets a small pool. But a page missing from the pool is read
 * through the file system's layer in WebAssembly, about 8 µs a page: over 10,000 passages a
 * 16 MB pool read about 1,900 pages a search (the HNSW graph and the postings do not fit),
 * and retrieval took 40 ms against 16 ms with 128 MB. In memory (tests) the tables live in
 * PGlite's in-memory file system and the pool is a second copy: the least is used.
 */
export function pgliteSharedBuffers(dataBytes: number): number {
  const wanted = Math.ceil((dataBytes * 1.5) / (8 * 2 ** 20)) * 8;
  return Math.min(pgliteSharedBuffersRange.max, Math.max(pgliteSharedBuffersRange.min, wanted));
}
