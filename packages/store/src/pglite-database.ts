import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { DataDirLock } from './data-dir-lock.js';
import { vectorSessionSettings, type Database, type Queryable } from './database.js';

/** The embedded runtime: PGlite with pgvector, persisted under a directory (or in memory). */
export class PgliteDatabase implements Database {
  readonly runtime = 'pglite' as const;

  private constructor(
    private readonly client: PGlite,
    private readonly lock: DataDirLock | undefined,
  ) {}

  /**
   * Opens (or creates) the database in `dataDir`; `undefined` keeps it in memory. A directory
   * is one process's: it is locked until `close` (`<dataDir>.lock`), and a directory another
   * live process holds is refused with DataDirInUseError (code `data_dir_in_use`).
   */
  static async open(dataDir: string | undefined, options: { seed?: Blob | undefined } = {}): Promise<PgliteDatabase> {
    let lock: DataDirLock | undefined;
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      lock = DataDirLock.acquire(realpathSync(dataDir));
    }
    let client: PGlite | undefined;
    try {
      // A new directory may start from a seed (a dump of another database: see dump()).
      const seed = options.seed && !(dataDir && existsSync(join(dataDir, 'PG_VERSION'))) ? { loadDataDir: options.seed } : {};
      client = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...seed, extensions: { vector } });
      await client.exec('create extension if not exists vector;');
      await client.exec(vectorSessionSettings);
      return new PgliteDatabase(client, lock);
    } catch (error) {
      if (client && !client.closed) await client.close().catch(() => undefined);
      lock?.release();
      throw error;
    }
  }

  /** The whole database as a gzipped tarball, which `open` takes as a seed for a new directory. */
  async dump(): Promise<Blob> {
    await this.client.exec('checkpoint');
    return this.client.dumpDataDir('gzip');
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.client.query<Row>(sql, params as unknown[]);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.client.exec(sql);
  }

  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    return this.client.transaction((transaction) =>
      work({
        query: async <Row>(sql: string, params: readonly unknown[] = []) => (await transaction.query<Row>(sql, params as unknown[])).rows,
        exec: async (sql: string) => {
          await transaction.exec(sql);
        },
      }),
    );
  }

  /** PGlite has a single connection, so the session is the database itself. */
  session<T>(work: (connection: Queryable) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {
    try {
      if (!this.client.closed) await this.client.close();
    } finally {
      this.lock?.release();
    }
  }
}
