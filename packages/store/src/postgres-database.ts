import type pg from 'pg';
import { CairnError, ConfigError, maskPassword } from '@cairn/core';
import { preparedStatementName, vectorStartupOptions, type Database, type Queryable, type QueryOptions } from './database.js';
import { translateDatabaseError } from './database-errors.js';

export interface PostgresDatabaseOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** How long to wait for a connection before failing (default 5 s). */
  connectionTimeoutMs?: number;
  /** Called when an idle connection fails (for example the server restarted). */
  onIdleError?: (error: Error) => void;
}

/** The server runtime: a `pg` pool against PostgreSQL with pgvector. */
export class PostgresDatabase implements Database {
  readonly runtime = 'postgres' as const;

  private constructor(private readonly pool: pg.Pool) {}

  /**
   * A failure to get a connection while the pool is full is a busy pool (pg-pool words it as a
   * failed connect): most often other requests hold the connections, waiting on a lock or a long
   * statement, and one will be back within seconds. pg-pool counts connections still being opened
   * as in the pool too, so the message names both causes.
   */
  private translate(error: unknown): unknown {
    if (
      error instanceof Error &&
      /timeout exceeded when trying to connect/i.test(error.message) &&
      this.pool.totalCount >= (this.pool.options.max ?? 10) &&
      this.pool.idleCount === 0
    ) {
      return new CairnError(
        'database_busy',
        `No database connection came free within the wait for one: all ${this.pool.totalCount} of the pool were in use (requests waiting on a locked table or a long statement) or still being opened (a slow or unreachable server). Retry in a few seconds.`,
        { cause: error },
      );
    }
    return translateDatabaseError(error);
  }

  /**
   * Opens a pool and checks that the server answers. An unreachable server throws a
   * ConfigError naming DATABASE_URL (with the password masked), for a one-line exit.
   */
  static async open(url: string, options: PostgresDatabaseOptions = {}): Promise<PostgresDatabase> {
    // Loaded here rather than with the module: the embedded default never needs it, and the
    // API's start reads this package before anything else (about 0.1 s).
    const { default: postgres } = await import('pg');
    const pool = new postgres.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      // Applied by the server to every new connection, before any query.
      options: vectorStartupOptions,
    });
    // An idle client that loses its server emits 'error' on the pool; without a listener
    // Node would crash the process. The next query gets a fresh connection instead.
    pool.on('error', (error) => options.onIdleError?.(error));
    const database = new PostgresDatabase(pool);
    try {
      await pool.query('select 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      const reason = connectFailure(error);
      throw new ConfigError('DATABASE_URL', `cannot connect to ${maskPassword(url)} (${reason})`, { cause: error });
    }
    return database;
  }

  async query<Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<Row[]> {
    try {
      const result = await this.pool.query(statementOf(sql, params, options));
      return result.rows as Row[];
    } catch (error) {
      throw this.translate(error);
    }
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql);
  }

  async transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    return this.session(async (connection) => {
      // Read committed, whatever the server's default: lockVectorHashes relies on each statement
      // after a lock seeing what the transaction it waited for committed.
      await connection.exec('begin isolation level read committed');
      try {
        const result = await work(connection);
        await connection.exec('commit');
        return result;
      } catch (error) {
        await connection.exec('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  async session<T>(work: (connection: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.translate(error);
    }
    let broken: Error | undefined;
    // A checked-out client has no pool listener: if its server goes away between two of the
    // work's statements, the client emits 'error', which would crash the process unheard.
    // The session keeps it as the reason to destroy the client; the next statement fails.
    const lost = (error: Error) => {
      broken ??= error;
    };
    client.on('error', lost);
    const connection: Queryable = {
      query: async <Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions) => {
        try {
          return (await client.query(statementOf(sql, params, options))).rows as Row[];
        } catch (error) {
          if (error instanceof Error && translateDatabaseError(error) !== error) broken = error;
          throw translateDatabaseError(error);
        }
      },
      exec: async (sql: string) => {
        await connection.query(sql);
      },
    };
    try {
      return await work(connection);
    } finally {
      client.off('error', lost);
      // A connection that failed is destroyed rather than returned to the pool.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Why a connection failed, in a few words: the system's code for a network failure (ECONNREFUSED), and the
 * server's own words beside its SQLSTATE (3D000: database "x" does not exist), which alone tells a newcomer nothing.
 */
export function connectFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  const fromServer = (error as { severity?: string }).severity !== undefined;
  if (code && fromServer && error.message) return `${code}: ${error.message}`;
  return code ?? error.message;
}

/** A statement as `pg` runs it (node-postgres keeps each connection's named statements). */
function statementOf(sql: string, params: readonly unknown[], options: QueryOptions | undefined): pg.QueryConfig {
  const values = params as unknown[];
  if (!options?.prepared) return { text: sql, values };
  return { name: preparedStatementName(sql), text: sql, values };
}
