import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { contentHash } from '@cairn/core';
import { PgliteDatabase, PGLITE_GROWN_POOL_MAX, pgliteSharedBuffers, Store } from '../src/index.js';
import { pgliteDataBytes } from '../src/pglite-options.js';
import { axisVector, insertOrphanVectors, testChunk, testDocument } from './runtimes.js';

const MB = 2 ** 20;

describe("the embedded database's buffer pool", () => {
  it('is one and a half times the data, in steps of 8 MB, between 16 and 128 MB', () => {
    expect(pgliteSharedBuffers(0)).toBe(16);
    expect(pgliteSharedBuffers(5 * MB)).toBe(16);
    expect(pgliteSharedBuffers(20 * MB)).toBe(32);
    expect(pgliteSharedBuffers(41 * MB)).toBe(64);
    expect(pgliteSharedBuffers(1024 * MB)).toBe(128);
  });

  it('is sized at each start by what the directory holds', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-pool-'));
    try {
      let database = await PgliteDatabase.open(dataDir);
      expect(await database.query('show shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
      await database.exec(`create table filler as select g as id, repeat(md5(g::text), 30) as text from generate_series(1, 25000) g`);
      await database.close();
      const bytes = pgliteDataBytes(dataDir);
      expect(bytes).toBeGreaterThan(20 * MB);
      // Postgres's folder of temporary files is not a database: an empty one must not make the catalogs count as data.
      await mkdir(join(dataDir, 'base', 'pgsql_tmp'), { recursive: true });
      expect(pgliteDataBytes(dataDir)).toBe(bytes);
      database = await PgliteDatabase.open(dataDir);
      expect(await database.query('show shared_buffers')).toEqual([{ shared_buffers: `${pgliteSharedBuffers(bytes)}MB` }]);
      expect(pgliteSharedBuffers(bytes)).toBeGreaterThan(16);
      await database.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the embedded database's buffer pool after a large load", () => {
  it.each([
    ['in its own thread', true],
    ['in this thread', false],
  ])(
    'grows it without a restart, %s, while statements keep coming',
    async (_name, thread) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'cairn-pool-grow-'));
      const lines: string[] = [];
      const database = await PgliteDatabase.open(dataDir, { thread, log: (line) => lines.push(line) });
      try {
        expect(database.bufferPoolMb).toBe(16);
        // Nothing to grow for yet.
        expect(await database.growBufferPool()).toBeUndefined();
        await database.exec(`create table filler as select g as id, repeat(md5(g::text), 30) as text from generate_series(1, 25000) g`);
        // The data asks for more than 1.5 times the pool, and gets the most a growth reaches.
        expect(pgliteSharedBuffers(pgliteDataBytes(dataDir))).toBeGreaterThanOrEqual(24);
        const wanted = PGLITE_GROWN_POOL_MAX;
        // Statements before, during and after the reopening all run, against the same data.
        const count = () => database.query<{ rows: number }>('select count(*)::int as rows from filler where id % 7 = 0');
        const before = count();
        const transaction = database.transaction(async (work) => {
          await work.query('insert into filler values (0, $1)', ['written in a transaction that the reopening waits for']);
          return work.query<{ rows: number }>('select count(*)::int as rows from filler where id % 7 = 0');
        });
        const growing = database.growBufferPool();
        const during = Array.from({ length: 10 }, () => count());
        expect(await growing).toEqual({ from: 16, to: wanted });
        expect(lines).toEqual([`grew the embedded database's buffer pool from 16 MB to ${wanted} MB for the data it now holds`]);
        expect((await transaction)[0]!.rows).toBe(3572);
        for (const rows of await Promise.all([before, ...during])) expect(rows).toEqual([{ rows: expect.any(Number) }]);
        expect(await count()).toEqual([{ rows: 3572 }]);
        expect(await database.query('show shared_buffers')).toEqual([{ shared_buffers: `${wanted}MB` }]);
        expect(database.bufferPoolMb).toBe(wanted);
        // Grown once: the same data asks for nothing more.
        expect(await database.growBufferPool()).toBeUndefined();
        // Named statements prepared on the PGlite before are prepared again on the new one.
        expect(await database.query('select count(*)::int as rows from filler where id = $1', [7], { prepared: true })).toEqual([
          { rows: 1 },
        ]);
      } finally {
        await database.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('leaves it alone when told to, and once closed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-pool-fixed-'));
    try {
      const fixed = await PgliteDatabase.open(dataDir, { thread: false, growBufferPool: false });
      await fixed.exec(`create table filler as select g as id, repeat(md5(g::text), 30) as text from generate_series(1, 25000) g`);
      expect(await fixed.growBufferPool()).toBeUndefined();
      expect(await fixed.query('show shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
      await fixed.close();
      // Closed, a growth opens nothing, though the data would grow the pool it had.
      const other = join(dataDir, 'other');
      const closed = await PgliteDatabase.open(other, { thread: false });
      await closed.exec(`create table filler as select g as id, repeat(md5(g::text), 30) as text from generate_series(1, 25000) g`);
      await closed.close();
      expect(pgliteSharedBuffers(pgliteDataBytes(other))).toBeGreaterThanOrEqual(32);
      expect(await closed.growBufferPool()).toBeUndefined();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('grows it in the middle of a run, straight to the most, once a page finds the data past the pool', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-pool-midrun-'));
    const lines: string[] = [];
    const store = await Store.open({ dataDir, log: (line) => lines.push(line) });
    try {
      const database = store.database as PgliteDatabase;
      expect(database.bufferPoolMb).toBe(16);
      await store.embeddings.registerModel('pool-model-v1', 4);
      const { id: sourceId } = await store.sources.upsert({ name: 'pool', kind: 'web', baseUrl: 'https://pool.test/' });
      const page = async (index: number) => {
        const chunks = [testChunk(0, `page ${index} on feedback and sponsors`)];
        await store.documents.replace(testDocument(sourceId, `page-${index}`, 'pool.test'), chunks, {
          model: 'pool-model-v1',
          vectors: new Map([[chunks[0]!.contentHash, axisVector(4, { [index % 4]: 1 })]]),
        });
      };
      // A page while the data fits the pool: no growth.
      await page(0);
      expect(database.bufferPoolMb).toBe(16);
      // The data outgrows the pool (a stand-in for a run's first few hundred pages). Within the
      // second after the last check the next page does not read the data's size; after it, a
      // page grows the pool.
      const checked = performance.now();
      await database.exec(`create table filler as select g as id, repeat(md5(g::text), 30) as text from generate_series(1, 25000) g`);
      expect(pgliteSharedBuffers(pgliteDataBytes(dataDir))).toBeLessThan(PGLITE_GROWN_POOL_MAX);
      const clock = vi.spyOn(performance, 'now').mockReturnValue(checked + 500);
      try {
        await page(2);
        expect(database.bufferPoolMb).toBe(16);
      } finally {
        clock.mockRestore();
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, checked + 1100 - performance.now())));
      await page(1);
      expect(database.bufferPoolMb).toBe(PGLITE_GROWN_POOL_MAX);
      expect(await database.query('show shared_buffers')).toEqual([{ shared_buffers: `${PGLITE_GROWN_POOL_MAX}MB` }]);
      expect(lines.filter((line) => line.includes('buffer pool'))).toEqual([
        `grew the embedded database's buffer pool from 16 MB to ${PGLITE_GROWN_POOL_MAX} MB for the data it now holds`,
      ]);
      // The run's end has nothing left to grow, and both pages are there.
      await store.documents.refreshStatistics();
      expect(database.bufferPoolMb).toBe(PGLITE_GROWN_POOL_MAX);
      expect(await database.query('select count(*)::int as pages from documents')).toEqual([{ pages: 3 }]);
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('grows it when a run refreshes the statistics', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-pool-run-'));
    const store = await Store.open({ dataDir });
    try {
      const database = store.database as PgliteDatabase;
      expect(database.bufferPoolMb).toBe(16);
      await database.exec(`create table filler as select g as id, repeat(md5(g::text), 30) as text from generate_series(1, 25000) g`);
      await store.documents.refreshStatistics();
      expect(database.bufferPoolMb).toBe(PGLITE_GROWN_POOL_MAX);
      expect(await database.query('show shared_buffers')).toEqual([{ shared_buffers: `${PGLITE_GROWN_POOL_MAX}MB` }]);
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('refreshing statistics after a run', () => {
  it('leaves the emptied table of waiting vectors without the dead entries a search would read', async () => {
    const store = await Store.open({});
    try {
      await store.embeddings.registerModel('pool-model-v1', 8);
      const vectors = new Map(
        Array.from({ length: 3000 }, (_, index) => [contentHash(`text ${index}`), axisVector(8, { [index % 8]: 1, 7: index / 3000 })]),
      );
      await insertOrphanVectors(store.database, 'pool-model-v1', vectors);
      await store.embeddings.indexPending();
      const pages = async () => {
        const [row] = await store.database.query<{
          'QUERY PLAN': [{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }];
        }>(`explain (analyze, buffers, format json) select content_hash from unindexed_embeddings where model = 'pool-model-v1'`);
        const plan = row!['QUERY PLAN'][0].Plan;
        return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
      };
      await store.database.exec('set enable_seqscan = off');
      const before = await pages();
      await store.documents.refreshStatistics();
      const after = await pages();
      expect(before).toBeGreaterThan(10);
      expect(after).toBeLessThan(before / 4);
    } finally {
      await store.close();
    }
  }, 120_000);
});
