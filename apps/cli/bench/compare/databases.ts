import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { Store, vectorSessionSettings } from '@cairn/store';
import { langchainTuning } from './langchain.js';
import { createTestDatabase, testDatabaseUrl } from '@cairn/testing';

export type Runtime = 'postgres' | 'pglite';

/**
 * One throwaway database holding both layouts: Cairn's tables (opened through the Store, as
 * the service does) and LangChain's table. LangChain needs a `pg` connection: on server
 * Postgres it connects straight to the database; on PGlite it reaches the same embedded
 * database through @electric-sql/pglite-socket (the wire protocol on a loopback port).
 */
export interface BenchDatabase {
  runtime: Runtime;
  store: Store;
  /** How `pg` reaches this database (LangChain's pool, byte counting). */
  connectionString: string;
  /** The environment that points `cairn serve` at this database. */
  serveEnvironment: Record<string, string>;
  /**
   * PGlite has one session for everyone: put LangChain's defaults (ef_search 40, no iterative
   * scan) in force, or with `tuned` its tuning (langchainTuning).
   */
  langchainSession(tuned?: boolean): Promise<void>;
  /** ...and Cairn's settings back (see vectorSessionSettings). No-ops on server Postgres, where each pool has its own sessions. */
  cairnSession(): Promise<void>;
  /** Closes the store (and the socket) but keeps the data, so that another process can open it. */
  closeStore(): Promise<void>;
  /** Removes the database. */
  drop(): Promise<void>;
}

/**
 * The PGlite instance inside the Store's PgliteDatabase, opened in this thread (not exported:
 * the bench serves it over a socket to LangChain and to byte counting).
 */
function pgliteOf(store: Store): PGlite {
  const client = (store.database as unknown as { connection?: { client?: PGlite } }).connection?.client;
  if (!client || typeof client.execProtocolRaw !== 'function') throw new Error('cannot reach the PGlite instance of the store');
  return client;
}

export async function openBenchDatabase(runtime: Runtime): Promise<BenchDatabase> {
  if (runtime === 'postgres') {
    const database = await createTestDatabase('cairn_bench');
    // Index builds of 100,000 × 1536 vectors need the graph in memory (pgvector's advice); both layouts get the same.
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      await admin.query(`alter database "${new URL(database.url).pathname.slice(1)}" set maintenance_work_mem = '1GB'`);
    } finally {
      await admin.end();
    }
    const store = await Store.open({ databaseUrl: database.url });
    let open = true;
    const closeStore = async () => {
      if (open) await store.close();
      open = false;
    };
    return {
      runtime,
      store,
      connectionString: database.url,
      serveEnvironment: { DATABASE_URL: database.url },
      langchainSession: async () => undefined,
      cairnSession: async () => undefined,
      closeStore,
      async drop() {
        await closeStore();
        await database.drop();
      },
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-pglite-'));
  // In this thread, not its own (the server's default): the socket server needs the PGlite instance,
  // which a reopening with a larger buffer pool would close under it.
  const store = await Store.open({ dataDir, pgliteThread: false, pgliteGrowBufferPool: false });
  const pglite = pgliteOf(store);
  await pglite.exec(`set maintenance_work_mem = '1GB'`);
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 50 });
  await server.start();
  let open = true;
  const closeStore = async () => {
    if (!open) return;
    open = false;
    await server.stop();
    await store.close();
  };
  return {
    runtime,
    store,
    connectionString: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    serveEnvironment: { CAIRN_DATA_DIR: dataDir },
    async langchainSession(tuned = false) {
      await pglite.exec(tuned ? langchainTuning : 'reset hnsw.iterative_scan; reset hnsw.ef_search; reset enable_seqscan;');
    },
    async cairnSession() {
      await pglite.exec(`reset enable_seqscan; ${vectorSessionSettings}`);
    },
    closeStore,
    async drop() {
      await closeStore();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
