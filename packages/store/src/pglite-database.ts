import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { CairnError } from '@cairn/core';
import { DataDirLock } from './data-dir-lock.js';
import {
  pgliteSharedBuffers,
  preparedStatementName,
  type Database,
  type Queryable,
  type QueryOptions,
  type TransactionProcedure,
} from './database.js';
import { openPglite, pgliteDataBytes } from './pglite-options.js';
import { PglitePreparedStatements } from './pglite-prepared.js';
import { transactionQueryable } from './pglite-queryable.js';
import { PgliteThread } from './pglite-thread.js';

/** What PgliteDatabase runs its statements on: PGlite in this thread, or in a thread of its own. */
interface PgliteConnection {
  query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
  /** Runs `sql` as the named statement `name`, prepared on the connection once (PglitePreparedStatements). */
  queryPrepared<Row>(name: string, sql: string, params: readonly unknown[]): Promise<Row[]>;
  exec(sql: string): Promise<void>;
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>;
  /** Runs a procedure in one transaction where PGlite runs (see TransactionProcedure). */
  procedure<Args, Result>(procedure: TransactionProcedure<Args, Result>, args: Args): Promise<Result>;
  dump(): Promise<Blob>;
  close(): Promise<void>;
}

/** PGlite in the calling thread. */
class InProcessPglite implements PgliteConnection {
  private readonly prepared: PglitePreparedStatements;

  private constructor(private readonly client: PGlite) {
    this.prepared = new PglitePreparedStatements(client);
  }

  static async open(dataDir: string | undefined, seed: Blob | undefined, sharedBuffers?: number): Promise<InProcessPglite> {
    return new InProcessPglite(await openPglite(dataDir, seed, sharedBuffers));
  }

  async query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    return (await this.client.query<Row>(sql, params as unknown[])).rows;
  }

  queryPrepared<Row>(name: string, sql: string, params: readonly unknown[]): Promise<Row[]> {
    return this.prepared.query<Row>(name, sql, params);
  }

  async exec(sql: string): Promise<void> {
    await this.client.exec(sql);
  }

  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    return this.client.transaction((transaction) => work(transactionQueryable(transaction)));
  }

  procedure<Args, Result>(procedure: TransactionProcedure<Args, Result>, args: Args): Promise<Result> {
    return this.client.transaction((transaction) => procedure.run(transactionQueryable(transaction, this.prepared), args));
  }

  async dump(): Promise<Blob> {
    await this.client.exec('checkpoint');
    return this.client.dumpDataDir('gzip');
  }

  async close(): Promise<void> {
    if (!this.client.closed) await this.client.close();
  }
}

export interface PgliteOpenOptions {
  /** A dump (see dump(): a gzipped tarball of a data directory), by its path, that a new database starts from. */
  seed?: string | undefined;
  /**
   * Run PGlite in a thread of its own (PgliteThread), so that Postgres in WebAssembly does not
   * hold up the caller's thread. Default: for a database in a directory (the server's embedded
   * default) yes; in memory (tests, short-lived tools) no, as a thread costs its start-up.
   */
  thread?: boolean | undefined;
  /**
   * Whether a run may reopen PGlite with a larger buffer pool (growBufferPool; default
   * true). Off for a caller that holds PGlite's instance itself (the compare bench serves it
   * over a socket), which a reopening would close under it.
   */
  growBufferPool?: boolean | undefined;
  /** Where the database's own lines go (a buffer pool grown, or not). */
  log?: ((line: string) => void) | undefined;
}

/**
 * Unpacks a seed into a new data directory (one without PG_VERSION, and empty), whole or not
 * at all: into a directory beside it, renamed into place. Streamed from the file to disk,
 * where PGlite's own loading (loadDataDir) holds the unpacked tarball in memory and grows
 * its WebAssembly memory by about 290 MB that it never gives back. An existing database,
 * or a directory with other files, is left as it is.
 */
async function unpackSeed(seedFile: string, dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION')) || readdirSync(dataDir).length > 0) return false;
  const staging = `${dataDir}.unpacking`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    // tar is loaded only for a new directory's seed, not at every start.
    const { extract } = await import('tar');
    await extract({ file: seedFile, cwd: staging });
    rmdirSync(dataDir);
    renameSync(staging, dataDir);
    return true;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Lets any number of operations run together (`shared`), or one alone (`exclusive`): an
 * exclusive one waits for those running to end, and those that come after it wait for it.
 */
class Gate {
  private running = 0;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.closing) await this.closing;
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      if (this.running === 0) this.drained?.();
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.closing) await this.closing;
    let open!: () => void;
    this.closing = new Promise<void>((resolve) => (open = resolve));
    try {
      if (this.running > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = undefined;
      return await work();
    } finally {
      this.closing = undefined;
      open();
    }
  }
}

/** A connection that refuses every statement with `error` (a reopening that failed: see growBufferPool). */
function unavailableConnection(error: Error): PgliteConnection {
  const refuse = () => Promise.reject(error);
  return {
    query: refuse,
    queryPrepared: refuse,
    exec: refuse,
    transaction: refuse,
    procedure: refuse,
    dump: refuse,
    close: async () => undefined,
  };
}

/** The buffer pool a growth must at least reach before the database is reopened for it (see growBufferPool). */
const GROWTH_FACTOR = 1.5;
/**
 * The most the pool grows to without a restart, in MB (see growBufferPool): Postgres touches
 * all of its pool, so each MB is resident, and an in-process ingest of 1,000 pages with the
 * pool grown to its full size (80 MB) peaked at 511 MB, over the 500 MB budget (issue 20).
 * The next start sizes it to the data in full (up to pgliteSharedBuffersRange.max).
 */
export const PGLITE_GROWN_POOL_MAX = 48;

/** The embedded runtime: PGlite with pgvector, persisted under a directory (or in memory). */
export class PgliteDatabase implements Database {
  readonly runtime = 'pglite' as const;
  private readonly gate = new Gate();
  private closed = false;

  private constructor(
    private connection: PgliteConnection,
    private readonly lock: DataDirLock | undefined,
    /** Whether PGlite runs in a thread of its own. */
    readonly threaded: boolean,
    /** Whether this open started the database from the seed it was given (see Database.seeded). */
    readonly seeded: boolean,
    private readonly dataDir: string | undefined,
    /** The buffer pool PGlite was started with, in MB (pgliteSharedBuffers). */
    private sharedBuffers: number,
    /** Whether growBufferPool may reopen PGlite (PgliteOpenOptions.growBufferPool). */
    private growable: boolean,
    private readonly log: ((line: string) => void) | undefined,
  ) {}

  /** The buffer pool, in MB, that PGlite was started with (pgliteSharedBuffers of the data then). */
  get bufferPoolMb(): number {
    return this.sharedBuffers;
  }

  /**
   * Reopens PGlite with a larger buffer pool, PGLITE_GROWN_POOL_MAX, when the data has
   * outgrown the one it started with (pgliteSharedBuffers of the data now is at least
   * GROWTH_FACTOR times the pool; 10.7 MB of data for the 16 MB pool): Postgres sizes the pool
   * at start, so a first session that loads a large corpus into a new directory would
   * otherwise search it through a pool sized for the starter corpus until a restart (10,000
   * passages: 40 ms a retrieval against 11). Straight to the most, so that a corpus that goes
   * on growing is reopened once, not at each step. Operations that come meanwhile wait for
   * the reopening (about a second); those running finish first. Returns the pool's sizes in
   * MB when it grew. A database in memory keeps its pool (its tables live in memory anyway).
   * Should PGlite not open with the larger pool, it is opened again with the one it had (and
   * the error is thrown, `database_unavailable`, when even that fails): a pool is not worth a run.
   */
  async growBufferPool(): Promise<{ from: number; to: number } | undefined> {
    const dataDir = this.dataDir;
    // Nothing to grow: in memory, turned off, a pool already past the most a growth reaches, or closed.
    if (!dataDir || !this.growable || this.sharedBuffers * GROWTH_FACTOR > PGLITE_GROWN_POOL_MAX || this.closed) return undefined;
    const neededNow = () => Math.min(pgliteSharedBuffers(pgliteDataBytes(dataDir)), PGLITE_GROWN_POOL_MAX);
    if (neededNow() < this.sharedBuffers * GROWTH_FACTOR) return undefined;
    const open = (sharedBuffers: number) =>
      this.threaded ? PgliteThread.open(dataDir, undefined, sharedBuffers) : InProcessPglite.open(dataDir, undefined, sharedBuffers);
    return this.gate.exclusive(async () => {
      // Decided again inside: another growth, or close(), may have come first.
      const needed = neededNow();
      if (this.closed || needed < this.sharedBuffers * GROWTH_FACTOR) return undefined;
      const wanted = PGLITE_GROWN_POOL_MAX;
      const from = this.sharedBuffers;
      await this.connection.close().catch(() => undefined);
      try {
        this.connection = await open(wanted);
      } catch (error) {
        // Not tried again in this process; the pool it had is reopened.
        this.growable = false;
        this.log?.(
          `the embedded database did not reopen with a ${wanted} MB buffer pool (${(error as Error).message}); it keeps ${from} MB`,
        );
        try {
          this.connection = await open(from);
        } catch (reopenError) {
          const unavailable = new CairnError('database_unavailable', 'The embedded database could not be reopened; restart the server.', {
            cause: reopenError,
          });
          this.connection = unavailableConnection(unavailable);
          throw unavailable;
        }
        return undefined;
      }
      this.sharedBuffers = wanted;
      this.log?.(`grew the embedded database's buffer pool from ${from} MB to ${wanted} MB for the data it now holds`);
      return { from, to: wanted };
    });
  }

  /** When growBufferPoolDuringRun next reads the data's size (performance.now()). */
  private nextGrowthCheck = 0;

  /**
   * growBufferPool in the middle of a run: a run that
   * loads a large corpus into a new directory otherwise writes it through a pool sized for
   * the starter corpus (16 MB), and each page the pool lacks is read and written through
   * WebAssembly's file layer. The keyword postings' index takes a term's entries at random,
   * so it outgrows 16 MB first: the 1,000-page fixture's first ingest took 16.5 / 21.8 s of
   * pages and 4.2 / 5.9 s at its end with 16 MB, 14.8 / 18.7 s and 3.1 / 2.8 s with 64 MB
   * from the start (docs/benchmarks.md, session 18). One reopening (about a second, which
   * the run's end no longer spends) instead of one per step of growth. The data's size is
   * read from the directory at most once a second, so a writer may call this after every page.
   */
  async growBufferPoolDuringRun(): Promise<{ from: number; to: number } | undefined> {
    if (!this.dataDir || !this.growable || this.closed || this.sharedBuffers * GROWTH_FACTOR > PGLITE_GROWN_POOL_MAX) return undefined;
    const now = performance.now();
    if (now < this.nextGrowthCheck) return undefined;
    this.nextGrowthCheck = now + 1000;
    return this.growBufferPool();
  }

  /**
   * Opens (or creates) the database in `dataDir`; `undefined` keeps it in memory. A directory
   * is one process's: it is locked until `close` (`<dataDir>.lock`), and a directory another
   * live process holds is refused with DataDirInUseError (code `data_dir_in_use`).
   */
  static async open(dataDir: string | undefined, options: PgliteOpenOptions = {}): Promise<PgliteDatabase> {
    let lock: DataDirLock | undefined;
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      lock = DataDirLock.acquire(realpathSync(dataDir));
    }
    try {
      // A new database may start from a seed (a dump of another: see dump()). A directory gets
      // it unpacked on disk, streamed; in memory, PGlite loads it.
      let seed: Blob | undefined;
      let seeded = false;
      if (options.seed && dataDir) seeded = await unpackSeed(options.seed, dataDir);
      else if (options.seed) {
        seed = new Blob([readFileSync(options.seed)]);
        seeded = true;
      }
      const threaded = options.thread ?? dataDir !== undefined;
      const sharedBuffers = pgliteSharedBuffers(dataDir ? pgliteDataBytes(dataDir) : 0);
      const connection = threaded
        ? await PgliteThread.open(dataDir, seed, sharedBuffers)
        : await InProcessPglite.open(dataDir, seed, sharedBuffers);
      return new PgliteDatabase(connection, lock, threaded, seeded, dataDir, sharedBuffers, options.growBufferPool ?? true, options.log);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  /** The whole database as a gzipped tarball, which `open` takes as a seed for a new directory. */
  dump(): Promise<Blob> {
    return this.gate.shared(() => this.connection.dump());
  }

  query<Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<Row[]> {
    return this.gate.shared(() =>
      options?.prepared
        ? this.connection.queryPrepared<Row>(preparedStatementName(sql), sql, params)
        : this.connection.query<Row>(sql, params),
    );
  }

  exec(sql: string): Promise<void> {
    return this.gate.shared(() => this.connection.exec(sql));
  }

  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    return this.gate.shared(() => this.connection.transaction(work));
  }

  procedure<Args, Result>(procedure: TransactionProcedure<Args, Result>, args: Args): Promise<Result> {
    return this.gate.shared(() => this.connection.procedure(procedure, args));
  }

  /** PGlite has a single connection, so the session is the database itself. */
  session<T>(work: (connection: Queryable) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {
    try {
      await this.gate.exclusive(() => {
        this.closed = true;
        return this.connection.close();
      });
    } finally {
      this.lock?.release();
    }
  }
}
