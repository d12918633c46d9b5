import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CairnError } from '@cairn/core';
import { PgliteDatabase } from '../src/index.js';

// PGlite in a thread of its own (PgliteThread, the server's default for a data directory):
// what crosses the thread must behave as PGlite in process does.
describe('PGlite in its own thread', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cairn-pglite-thread-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('runs statements, keeps Postgres error fields and types, and persists in its directory', async () => {
    const database = await PgliteDatabase.open(join(directory, 'db'));
    expect(database.threaded).toBe(true);
    try {
      await database.exec('create table notes (id int primary key, body text, at timestamptz, data bytea)');
      const at = new Date('2026-01-02T03:04:05.000Z');
      await database.query('insert into notes values ($1, $2, $3, $4)', [1, 'first', at, new Uint8Array([1, 2, 3])]);
      const [row] = await database.query<{ id: number; body: string; at: Date; data: Uint8Array }>('select * from notes');
      expect(row).toEqual({ id: 1, body: 'first', at, data: new Uint8Array([1, 2, 3]) });
      expect(row!.at).toBeInstanceOf(Date);
      // A unique violation keeps its code and constraint, which callers read.
      const error = await database.query('insert into notes values (1, $1, now(), null)', ['again']).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code: '23505', constraint: 'notes_pkey' });
      expect((error as Error).message).toMatch(/duplicate key/);
      // The vector extension and the session settings are there.
      const [vector] = await database.query<{ distance: number }>(`select '[1,0]'::vector <=> '[0,1]'::vector as distance`);
      expect(vector!.distance).toBeCloseTo(1);
      const [setting] = await database.query<{ value: string }>(`select current_setting('hnsw.ef_search') as value`);
      expect(setting!.value).toBe('100');
      const [buffers] = await database.query<{ shared_buffers: string }>('show shared_buffers');
      expect(buffers!.shared_buffers).toBe('16MB');
    } finally {
      await database.close();
    }
    const reopened = await PgliteDatabase.open(join(directory, 'db'));
    try {
      expect(await reopened.query('select body from notes')).toEqual([{ body: 'first' }]);
    } finally {
      await reopened.close();
    }
  });

  it('commits a transaction that resolves, rolls back one that throws, and holds other statements until it ends', async () => {
    const database = await PgliteDatabase.open(undefined, { thread: true });
    try {
      await database.exec('create table counts (n int)');
      await database.transaction(async (transaction) => {
        await transaction.query('insert into counts values (1)');
        await transaction.exec('insert into counts values (2)');
      });
      const failure = await database
        .transaction(async (transaction) => {
          await transaction.query('insert into counts values (3)');
          throw new Error('changed my mind');
        })
        .catch((error: Error) => error.message);
      expect(failure).toBe('changed my mind');
      // A statement that fails inside a transaction rolls it back too, with its own error.
      const bad = await database
        .transaction(async (transaction) => {
          await transaction.query('insert into counts values (4)');
          await transaction.query('insert into nowhere values (1)');
        })
        .catch((error: { code?: string }) => error.code);
      expect(bad).toBe('42P01');
      expect(await database.query('select n from counts order by n')).toEqual([{ n: 1 }, { n: 2 }]);

      // While a transaction is open, a statement from outside waits for it (one connection),
      // and sees its writes only once committed.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let begun!: () => void;
      const inside = new Promise<void>((resolve) => (begun = resolve));
      const order: string[] = [];
      const transaction = database.transaction(async (open) => {
        await open.query('insert into counts values (5)');
        begun();
        await held;
        order.push('committed');
      });
      // Only once the transaction holds the connection (a timer could fire before it began).
      await inside;
      const outside = database.query<{ total: string }>('select count(*)::text as total from counts').then((rows) => {
        order.push('outside');
        return rows[0]!.total;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(order).toEqual([]);
      release();
      await transaction;
      expect(await outside).toBe('3');
      expect(order).toEqual(['committed', 'outside']);
    } finally {
      await database.close();
    }
  });

  it('dumps a database that a new one starts from, unpacked into its directory', async () => {
    const source = await PgliteDatabase.open(undefined, { thread: true });
    const dumpFile = join(directory, 'dump.tar.gz');
    try {
      await source.exec(`create table kept (body text); insert into kept values ('seeded')`);
      const { writeFile } = await import('node:fs/promises');
      await writeFile(dumpFile, Buffer.from(await (await source.dump()).arrayBuffer()));
    } finally {
      await source.close();
    }
    const seeded = await PgliteDatabase.open(join(directory, 'seeded'), { seed: dumpFile });
    try {
      expect(await seeded.query('select body from kept')).toEqual([{ body: 'seeded' }]);
      expect(existsSync(join(directory, 'seeded.unpacking'))).toBe(false);
    } finally {
      await seeded.close();
    }
    // In memory, the same seed is loaded by PGlite.
    const inMemory = await PgliteDatabase.open(undefined, { seed: dumpFile, thread: true });
    try {
      expect(await inMemory.query('select body from kept')).toEqual([{ body: 'seeded' }]);
    } finally {
      await inMemory.close();
    }
  });

  it('refuses statements with database_unavailable once closed, and closes twice without error', async () => {
    const database = await PgliteDatabase.open(undefined, { thread: true });
    await database.close();
    const error = await database.query('select 1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CairnError);
    expect(error).toMatchObject({ code: 'database_unavailable' });
    await database.close();
  });
});

// Search's statements are prepared (QueryOptions.prepared): on PGlite as named statements of
// the wire protocol (PglitePreparedStatements), which must give what `query` gives.
describe.each([true, false])('prepared statements on PGlite (in its own thread: %s)', (thread) => {
  // A new database in memory each time (initdb in WebAssembly: 5 – 6 s, much more on a loaded host).
  it('gives the rows the statement gives unprepared, for awkward values too, preparing it once', async () => {
    const database = await PgliteDatabase.open(undefined, { thread });
    try {
      await database.exec('create table tags (id int primary key, name text, weight float8)');
      const names = ["it's", 'back\\slash', 'a "quote"', '{braces}', 'comma, here', 'NULL', '', 'üñí', '$$dollar$$'];
      for (const [index, name] of names.entries()) await database.query('insert into tags values ($1, $2, $3)', [index, name, index / 3]);
      const sql = `select id, name, weight from tags where name = any($1::text[]) and weight >= $2::float8 and ($3::text is null or name <> $3) order by id`;
      for (const params of [
        [names, 0, null],
        [names.slice(2), 1 / 3, "it's"],
        [[], 0, 'x'],
        [["it's", 'a "quote"'], -1, '{braces}'],
      ]) {
        const plain = await database.query(sql, params);
        expect(await database.query(sql, params, { prepared: true })).toEqual(plain);
      }
      const prepared = await database.query<{ name: string }>('select name from pg_prepared_statements');
      expect(prepared).toHaveLength(1);
      expect(prepared[0]!.name).toMatch(/^cairn_/);
      // A statement without parameters.
      expect(await database.query('select count(*)::int as count from tags', [], { prepared: true })).toEqual([{ count: names.length }]);
      expect(await database.query('select count(*)::int as count from tags', [], { prepared: true })).toEqual([{ count: names.length }]);
      expect(await database.query('select name from pg_prepared_statements')).toHaveLength(2);
      // Values of other types go through PGlite's serializers and parsers, as with `query`.
      for (const [sql, params] of [
        ['select $1::bytea as data', [new Uint8Array([1, 2, 0, 255])]],
        ['select $1::jsonb as data', [{ a: [1, 'two', null], "it's": true }]],
        ['select $1::timestamptz as data, $2::uuid as id', [new Date('2026-12-05T08:00:00Z'), '2c1d7a1e-8b4f-4d35-9a63-0d6a5c3f9b11']],
        ['select $1::int[] as data', [[1, null, 3]]],
      ] as const) {
        expect(await database.query(sql, [...params], { prepared: true })).toEqual(await database.query(sql, [...params]));
      }
      expect(await database.query('select name from pg_prepared_statements')).toHaveLength(6);
      // Deallocated behind its back, a statement is prepared again.
      await database.exec('deallocate all');
      expect(await database.query('select count(*)::int as count from tags', [], { prepared: true })).toEqual([{ count: names.length }]);
      // A prepared statement waits for an open transaction and runs outside it.
      let inserted!: () => void;
      const didInsert = new Promise<void>((resolve) => (inserted = resolve));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const transaction = database.transaction(async (open) => {
        await open.query('insert into tags values (100, $1, 0)', ['uncommitted']);
        inserted();
        await held;
        throw new Error('roll back');
      });
      await didInsert;
      const outside = database.query<{ count: number }>('select count(*)::int as count from tags', [], { prepared: true });
      const early = await Promise.race([outside.then(() => 'ran'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 100))]);
      expect(early).toBe('waiting');
      release();
      await expect(transaction).rejects.toThrow('roll back');
      expect(await outside).toEqual([{ count: names.length }]);
      // A statement that cannot be prepared fails as it would unprepared, and is not remembered.
      await expect(database.query('select * from missing where id = $1::int', [1], { prepared: true })).rejects.toThrow(/missing/);
      await database.exec('create table missing (id int)');
      expect(await database.query('select * from missing where id = $1::int', [1], { prepared: true })).toEqual([]);
      // Once closed, it is refused as any statement is.
      await database.close();
      await expect(database.query('select count(*)::int as count from tags', [], { prepared: true })).rejects.toThrow(
        /closed|unavailable|stopped/i,
      );
    } finally {
      await database.close();
    }
  }, 120_000);
});
