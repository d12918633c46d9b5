import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { createEmbedder } from '@cairn/embed';
import { readMigrations } from '@cairn/store';
import {
  buildEmptySnapshot,
  buildStarterSnapshot,
  createRetriever,
  emptySnapshotKey,
  openRuntime,
  starterSnapshotKey,
  type Runtime,
} from '../src/index.js';

/**
 * What a database holds of the starter corpus: each passage's page, the page's publication
 * date (to the millisecond), heading and text hash, and its vector's model.
 */
async function contents(runtime: Runtime): Promise<string[]> {
  const rows = await runtime.store.database.query<{ row: string }>(
    `select concat_ws(' | ', d.url, (extract(epoch from d.published_at) * 1000)::bigint, c.heading, c.content_hash, e.model) as row
     from chunks c join documents d on d.id = c.document_id
     left join embeddings e on e.content_hash = c.content_hash
     order by 1`,
  );
  return rows.map((row) => row.row);
}

describe('the starter snapshot', () => {
  it('starts a new data directory with exactly what loading the notes gives, dated now, and only a new one', async () => {
    const config = loadConfig({});
    const { path } = await buildStarterSnapshot(await createEmbedder(config));
    expect(path).toContain(starterSnapshotKey(config.embeddingModel));
    expect(starterSnapshotKey('local-semantic-v1')).not.toBe(starterSnapshotKey(config.embeddingModel));

    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-snapshot-'));
    try {
      const plain = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'plain') }), { starterSnapshot: false });
      const expected = await contents(plain);
      const plainAnswer = await searchResults(plain);
      await plain.close();

      const lines: string[] = [];
      const startedAt = Date.now();
      const seeded = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'seeded') }), { log: (line) => lines.push(line) });
      expect(lines).toContainEqual(expect.stringMatching(/^loaded the starter corpus from its snapshot: 35 notes, \d+ passages$/));
      expect(lines.filter((line) => line.startsWith('loaded the starter corpus:'))).toEqual([]);
      // Equal contents include the notes' publication dates: the clock below does not move them.
      expect(expected.filter((row) => /^\S+ \| \d+ \| /.test(row)).length).toBeGreaterThan(0);
      expect(await contents(seeded)).toEqual(expected);
      expect(await searchResults(seeded)).toEqual(plainAnswer);
      // The snapshot's clock is moved to now: its run and its notes are this start's.
      const [dates] = await seeded.store.database.query<{ oldest: Date; run: Date }>(
        `select (select min(created_at) from documents) as oldest, (select max(created_at) from ingest_runs) as run`,
      );
      expect(new Date(dates!.run).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(new Date(dates!.oldest).getTime()).toBeGreaterThan(startedAt - 60_000);
      // New writes work on a seeded database (its sequences and indexes came along).
      await seeded.store.sources.upsert({ name: 'after-seed', kind: 'web', baseUrl: 'https://example.com/' });
      await seeded.close();

      // A directory that exists is opened as it is: no second seeding.
      const again: string[] = [];
      const reopened = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'seeded') }), { log: (line) => again.push(line) });
      expect(again.filter((line) => line.startsWith('loaded'))).toEqual([]);
      expect((await reopened.store.sources.list()).map((source) => source.name)).toContain('after-seed');
      await reopened.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('the empty snapshot', () => {
  it('starts a new data directory without the starter corpus from a migrated database, and only a new one', async () => {
    const { path } = await buildEmptySnapshot();
    expect(path).toContain(emptySnapshotKey());
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-empty-snapshot-'));
    try {
      const config = loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'data'), CAIRN_STARTER_CORPUS: 'off' });
      const lines: string[] = [];
      const runtime = await openRuntime(config, { log: (line) => lines.push(line) });
      expect(lines).toContain('created the database from its empty snapshot (migrated, no data)');
      expect(lines.filter((line) => line.startsWith('loaded the starter corpus'))).toEqual([]);
      const [{ applied }] = (await runtime.store.database.query<{ applied: number }>(
        'select count(*)::int as applied from schema_migrations',
      )) as [{ applied: number }];
      expect(applied).toBe(readMigrations().length);
      expect(await runtime.store.documents.countActive()).toEqual({ documents: 0, chunks: 0 });
      // What a start does on any new database happened on this one: the model registered, the default sources configured.
      expect((await runtime.store.embeddings.activeModel())?.id).toBe(config.embeddingModel);
      expect((await runtime.store.sources.list()).length).toBeGreaterThan(0);
      await runtime.store.sources.upsert({ name: 'after-seed', kind: 'web', baseUrl: 'https://example.com/' });
      await runtime.close();

      const again: string[] = [];
      const reopened = await openRuntime(config, { log: (line) => again.push(line) });
      expect(again.filter((line) => line.includes('snapshot'))).toEqual([]);
      expect((await reopened.store.sources.list()).map((source) => source.name)).toContain('after-seed');
      await reopened.close();

      // A new directory that already holds a file of someone else's is not seeded (nothing is
      // unpacked over it): the database is created there as ever, and no line says otherwise.
      const cluttered = join(dataDir, 'cluttered');
      await mkdir(join(cluttered, 'pglite'), { recursive: true });
      await writeFile(join(cluttered, 'pglite', 'notes.txt'), 'not a database\n');
      const created: string[] = [];
      const fresh = await openRuntime(loadConfig({ CAIRN_DATA_DIR: cluttered, CAIRN_STARTER_CORPUS: 'off' }), {
        log: (line) => created.push(line),
      });
      expect(fresh.store.database.seeded).toBe(false);
      expect(created.filter((line) => line.includes('snapshot'))).toEqual([]);
      expect(await fresh.store.documents.countActive()).toEqual({ documents: 0, chunks: 0 });
      await fresh.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

/** The passages a question finds. */
async function searchResults(runtime: Runtime): Promise<string[]> {
  const retriever = createRetriever(runtime);
  const { results } = await retriever.retrieve('How do I give feedback to a senior engineer?', { k: 6 });
  return results.map((passage) => `${passage.url} ${passage.heading}`);
}
