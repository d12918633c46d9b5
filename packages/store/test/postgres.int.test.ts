import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cairn/testing';
import { PostgresDatabase, Store, denseSearchQuery, hnswIndexName, migrate, orphanEmbeddingsQuery, readMigrations } from '../src/index.js';
import { isConnectionError } from '../src/database-errors.js';
import { axisVector, insertBulkPassages } from './runtimes.js';
import { embeddingToSql } from '../src/embedding-to-sql.js';

describe('migrations on server Postgres', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => testDatabase?.drop());

  it('applies each migration exactly once when five migrators start at once', async () => {
    const databases = await Promise.all(Array.from({ length: 5 }, () => PostgresDatabase.open(testDatabase.url)));
    try {
      const results = await Promise.all(databases.map((database) => migrate(database)));
      const appliers = results.filter((result) => result.applied.length > 0);
      expect(appliers).toHaveLength(1);
      expect(appliers[0]!.applied).toEqual(readMigrations().map((migration) => migration.name));
      const rows = await databases[0]!.query<{ version: number; count: number }>(
        'select version, count(*)::int as count from schema_migrations group by version',
      );
      expect(rows.every((row) => row.count === 1)).toBe(true);
      expect(rows).toHaveLength(readMigrations().length);
    } finally {
      await Promise.all(databases.map((database) => database.close()));
    }
  }, 60_000);
});

describe('a busy pool on server Postgres', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => testDatabase?.drop());

  it('says the database is busy, not unreachable, when every connection waits on a locked table', async () => {
    const locker = await PostgresDatabase.open(testDatabase.url, { maxConnections: 1 });
    const database = await PostgresDatabase.open(testDatabase.url, { maxConnections: 2, connectionTimeoutMs: 300 });
    try {
      await locker.exec('create table busy_probe (id int)');
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // Another session holds the table, as a migration or a VACUUM FULL would.
      const holding = locker.transaction(async (transaction) => {
        await transaction.exec('lock table busy_probe in access exclusive mode');
        await released;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const waiting = [database.query('select count(*) from busy_probe'), database.query('select count(*) from busy_probe')];
      await new Promise((resolve) => setTimeout(resolve, 100));
      const error = await database.query('select 1').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'database_busy' });
      expect((error as Error).message).toMatch(/were in use/);
      release();
      await holding;
      // The waiting statements finish once the lock goes, and the pool serves again.
      await expect(Promise.all(waiting)).resolves.toHaveLength(2);
      await expect(database.query('select 1 as one')).resolves.toEqual([{ one: 1 }]);
    } finally {
      await database.close();
      await locker.close();
    }
  });
});

describe('a session whose connection is lost on server Postgres', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => testDatabase?.drop());

  it('keeps the process up when the server drops it between two statements, fails the next one, and serves again', async () => {
    const database = await PostgresDatabase.open(testDatabase.url, { maxConnections: 1 });
    const admin = await PostgresDatabase.open(testDatabase.url, { maxConnections: 1 });
    const uncaught: Error[] = [];
    const listener = (error: Error) => uncaught.push(error);
    process.on('uncaughtException', listener);
    try {
      const failure = await database
        .session(async (connection) => {
          const [row] = await connection.query<{ pid: number }>('select pg_backend_pid() as pid');
          // The work is between statements (awaiting an embedding, say) when its server goes.
          await admin.query('select pg_terminate_backend($1)', [row?.pid]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          return connection.query('select 1');
        })
        .catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(Error);
      expect(uncaught).toEqual([]);
      // The lost client was destroyed, not handed back: the pool's one connection is a new one.
      await expect(database.query('select 1 as one')).resolves.toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', listener);
      await admin.close();
      await database.close();
    }
  });
});

describe('a database that is gone on server Postgres', () => {
  it('answers database_unavailable while it is renamed away, and serves again when it is back', async () => {
    const testDatabase = await createTestDatabase();
    const name = new URL(testDatabase.url).pathname.slice(1);
    const adminUrl = new URL(testDatabase.url);
    adminUrl.pathname = '/postgres';
    const admin = await PostgresDatabase.open(adminUrl.toString(), { maxConnections: 1 });
    const database = await PostgresDatabase.open(testDatabase.url, { maxConnections: 1 });
    try {
      await expect(database.query('select 1 as one')).resolves.toEqual([{ one: 1 }]);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      await admin.exec(`alter database ${name} rename to ${name}_away`);
      // 3D000, database "…" does not exist: nothing a retry of the statement would change, but no bug of Cairn's.
      const failure = await database.query('select 1').catch((caught: unknown) => caught);
      expect(failure).toMatchObject({ code: 'database_unavailable' });
      await admin.exec(`alter database ${name}_away rename to ${name}`);
      await expect(database.query('select 1 as one')).resolves.toEqual([{ one: 1 }]);
    } finally {
      await database.close();
      await admin.exec(`alter database ${name}_away rename to ${name}`).catch(() => undefined);
      await admin.close();
      await testDatabase.drop();
    }
  });

  it('reads a refused login, too many connections and a dropped database as unavailable, a bad statement not', () => {
    const withCode = (code: string) => Object.assign(new Error('server says no'), { code });
    for (const code of ['3D000', '28P01', '28000', '53300', '53100', '57P04', '08006', 'ECONNREFUSED'])
      expect(isConnectionError(withCode(code)), code).toBe(true);
    for (const code of ['42601', '23505', '22P02', '40001', '57014']) expect(isConnectionError(withCode(code)), code).toBe(false);
  });
});

describe('vector search plan at 10,000 chunks on server Postgres', () => {
  const dimensions = 384;
  const model = 'plan-test-v1';
  let testDatabase: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    store = await Store.open({ databaseUrl: testDatabase.url });
    const database = store.database;
    await database.query(`insert into embedding_models (id, dimensions, status) values ($1, $2, 'active')`, [model, dimensions]);
    await insertBulkPassages(store);
    await database.query(
      `insert into embeddings (model, content_hash, embedding)
       select $1, c.content_hash, (select array_agg(random()::real) from generate_series(1, $2::int) where c.ordinal is not null)::vector
       from chunks c`,
      [model, dimensions],
    );
    await store.embeddings.registerModel(model, dimensions);
    await database.exec('analyze');
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await testDatabase?.drop();
  });

  it('walks the HNSW index for a search, filtered or not', async () => {
    expect((await store.documents.countActive()).chunks).toBe(10_000);
    const vector = axisVector(dimensions, { 3: 1, 7: 0.5 });
    for (const filters of [undefined, { sources: ['bulk'] }]) {
      const { sql, params } = denseSearchQuery({ id: model, dimensions }, vector, { limit: 50, filters });
      const rows = await store.database.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toContain(`Index Scan using ${hnswIndexName(model)}`);
    }
    const hits = await store.search.dense({ id: model, dimensions }, vector, { limit: 50 });
    expect(hits).toHaveLength(50);
  });

  it("finds a changed page's orphan vectors by the primary key, not by reading every vector", async () => {
    const rows = await store.database.query<{ content_hash: string }>('select content_hash from embeddings limit 3');
    const { sql, params } = orphanEmbeddingsQuery(
      'embeddings',
      rows.map((row) => row.content_hash),
    );
    // Every vector here has its chunk: the statement runs (EXPLAIN ANALYZE) and deletes nothing.
    const plan = await store.database.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off) ${sql}`, params);
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('Index Scan using embeddings_pkey');
    expect(text).not.toMatch(/Seq Scan on embeddings/);
    const [{ count }] = (await store.database.query<{ count: number }>('select count(*)::int as count from embeddings')) as [
      { count: number },
    ];
    expect(count).toBe(10_000);
  });

  it('prepares a search statement on its connection, and its generic plan still walks the index', async () => {
    const vector = axisVector(dimensions, { 5: 1, 9: 0.5 });
    const { sql, params } = denseSearchQuery({ id: model, dimensions }, vector, { limit: 20 });
    await store.database.session(async (connection) => {
      const plain = await connection.query(sql, params);
      // Postgres plans the first five executions for their parameters, then settles on a generic plan.
      for (let run = 0; run < 8; run += 1) expect(await connection.query(sql, params, { prepared: true })).toEqual(plain);
      const [statement] = await connection.query<{ name: string; generic_plans: number }>(
        'select name, generic_plans::int from pg_prepared_statements where statement = $1',
        [sql],
      );
      expect(statement!.name).toMatch(/^cairn_/);
      expect(statement!.generic_plans).toBeGreaterThan(0);
      // The vector goes in binary (embeddingToBinary); as a literal, in its text form.
      const literals = params
        .map((param) => `'${(param instanceof Uint8Array ? embeddingToSql(vector) : String(param)).replaceAll("'", "''")}'`)
        .join(', ');
      const rows = await connection.query<{ 'QUERY PLAN': string }>(`explain execute "${statement!.name}"(${literals})`);
      expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(`Index Scan using ${hnswIndexName(model)}`);
    });
  });

  it('still walks the index with vectors waiting outside it, and ranks those among the rest', async () => {
    // 200 chunks' vectors moved out of the index, as deferred indexing leaves a run's vectors.
    await store.database.query(
      `with moved as (delete from embeddings where model = $1 and content_hash in (
         select content_hash from embeddings where model = $1 order by content_hash limit 200) returning *)
       insert into unindexed_embeddings select * from moved`,
      [model],
    );
    const [waiting] = await store.database.query<{ content_hash: string }>('select content_hash from unindexed_embeddings limit 1');
    await store.database.exec('analyze unindexed_embeddings');
    const vector = axisVector(dimensions, { 3: 1, 7: 0.5 });
    const { sql, params } = denseSearchQuery({ id: model, dimensions }, vector, { limit: 50 });
    const plan = (await store.database.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params))
      .map((row) => row['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain(`Index Scan using ${hnswIndexName(model)}`);
    // A waiting vector is found by its own value.
    const [own] = await store.database.query<{ embedding: string }>(
      'select embedding::text as embedding from unindexed_embeddings where content_hash = $1',
      [waiting!.content_hash],
    );
    const ownVector = JSON.parse(own!.embedding) as number[];
    const [best] = await store.search.dense({ id: model, dimensions }, ownVector, { limit: 5 });
    const [chunk] = await store.database.query<{ id: string }>('select id from chunks where content_hash = $1', [waiting!.content_hash]);
    expect(best).toMatchObject({ chunkId: chunk!.id });
    expect(best!.score).toBeCloseTo(1, 5);
  });
});
