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

/** One interface over the two runtimes: PGlite (embedded) and a `pg` pool (server Postgres). */
export interface Database extends Queryable {
  readonly runtime: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>;
  /** Runs `work` on one dedicated connection (session state such as advisory locks holds within it). */
  session<T>(work: (connection: Queryable) => Promise<T>): Promise<T>;
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
 * Memory settings of the embedded database, as start parameters after PGlite's own. PGlite
 * runs Postgres in one WebAssembly memory that grows and never shrinks, and Postgres touches
 * all of `shared_buffers` at start: at Postgres's default of 128 MB that alone was 146 MB of
 * the server's resident memory (measured: 353 MB after opening the starter corpus's directory,
 * 207 MB with 16 MB). The files of a data directory are read through the operating system's
 * page cache either way, so a small buffer pool costs little; in memory (tests) the tables
 * live in PGlite's in-memory file system and the pool is a second copy. `maintenance_work_mem`
 * bounds what an HNSW build (deferred indexing at a run's end) takes, and so the peak.
 * Measured in docs/benchmarks.md ("The embedded default's memory").
 */
export const pgliteMemorySettings = ['shared_buffers=16MB', 'maintenance_work_mem=32MB', 'temp_buffers=2MB'];
