import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { PgliteDatabase, Store } from '../src/index.js';
import { PglitePreparedStatements } from '../src/pglite-prepared.js';
import { migrate } from '../src/migrate.js';
import { axisVector, testChunk, testDocument } from './runtimes.js';

const preparedNames = async (client: { query: PGlite['query'] }) =>
  (await client.query<{ name: string }>(`select name from pg_prepared_statements where name like 'cairn_tx_%' order by name`)).rows.map(
    (row) => row.name,
  );

// A procedure's statements (a page's replacement) run as named statements inside its transaction.
describe('statements prepared inside a transaction on PGlite', () => {
  it('give what query gives, keep at most their bound, roll back with the transaction and survive a DEALLOCATE', async () => {
    const client = await PGlite.create();
    try {
      const prepared = new PglitePreparedStatements(client, 2);
      await client.exec('create table notes (id int primary key, body text)');
      const insert = 'insert into notes values ($1, $2) returning id, body';
      const count = 'select count(*)::int as count from notes where id >= $1';
      const bodies = 'select body from notes where id = any($1::int[]) order by id';
      await client.transaction(async () => {
        expect(await prepared.queryInTransaction(insert, [1, "it's"])).toEqual([{ id: 1, body: "it's" }]);
        expect(await prepared.queryInTransaction(insert, [2, null])).toEqual([{ id: 2, body: null }]);
        expect(await prepared.queryInTransaction(count, [0])).toEqual([{ count: 2 }]);
      });
      // Two texts, two statements; a third closes the least recently used (the insert's).
      expect(await preparedNames(client)).toEqual(['cairn_tx_1', 'cairn_tx_2']);
      await client.transaction(async () => {
        expect(await prepared.queryInTransaction(bodies, [[1, 2]])).toEqual([{ body: "it's" }, { body: null }]);
      });
      expect(await preparedNames(client)).toEqual(['cairn_tx_2', 'cairn_tx_3']);
      expect((await client.query(count, [0])).rows).toEqual([{ count: 2 }]);

      // A failing statement fails its transaction, which leaves nothing; the statement runs again after.
      await expect(
        client.transaction(async () => {
          await prepared.queryInTransaction(insert, [3, 'three']);
          await prepared.queryInTransaction(insert, [3, 'again']);
        }),
      ).rejects.toThrow(/duplicate key/);
      expect((await client.query(count, [3])).rows).toEqual([{ count: 0 }]);
      await client.transaction(async () => {
        expect(await prepared.queryInTransaction(insert, [3, 'three'])).toEqual([{ id: 3, body: 'three' }]);
      });

      // Deallocated behind its back: the transaction that meets it fails (Postgres ends it), the next prepares it again.
      const cached = await preparedNames(client);
      expect(cached).toContain('cairn_tx_4');
      await client.exec('deallocate all');
      await expect(
        client.transaction(async () => {
          await prepared.queryInTransaction(insert, [4, 'four']);
        }),
      ).rejects.toMatchObject({ code: '26000' });
      await client.transaction(async () => {
        expect(await prepared.queryInTransaction(insert, [4, 'four'])).toEqual([{ id: 4, body: 'four' }]);
        expect(await prepared.queryInTransaction(count, [0])).toEqual([{ count: 4 }]);
      });
    } finally {
      await client.close();
    }
  });

  it.each([
    ['in its own thread', true],
    ['in this thread', false],
  ])('a page replaced %s stores what it stored unprepared, its statements prepared once', async (_name, thread) => {
    const database = await PgliteDatabase.open(undefined, { thread });
    try {
      await migrate(database);
      const store = new Store(database);
      await store.embeddings.registerModel('prepared-v1', 4);
      const { id: sourceId } = await store.sources.upsert({ name: 'prepared', kind: 'web', baseUrl: 'https://prepared.test/' });
      const replace = (locator: string, texts: string[]) => {
        const chunks = texts.map((text, index) => testChunk(index, text));
        return store.documents.replace(testDocument(sourceId, locator, 'prepared.test'), chunks, {
          model: 'prepared-v1',
          vectors: new Map(chunks.map((chunk, index) => [chunk.contentHash, axisVector(4, { [index % 4]: 1 })])),
        });
      };
      await replace('a', ['feedback for a new manager', 'a roadmap for the platform team']);
      const named = (
        await database.query<{ count: number }>(`select count(*)::int as count from pg_prepared_statements where name like 'cairn_tx_%'`)
      )[0]!.count;
      // The document, its chunks, its postings (the vectors' statement is built for their count: not prepared).
      expect(named).toBe(3);
      // The same page again, changed, and another: the same texts, no more statements.
      expect(await replace('a', ['feedback for a new manager', 'hiring for the platform team'])).toMatchObject({
        chunksAdded: 1,
        chunksRemoved: 1,
      });
      await replace('b', ['an incident review', 'a migration plan']);
      const after = await database.query<{ count: number }>(
        `select count(*)::int as count from pg_prepared_statements where name like 'cairn_tx_%'`,
      );
      // A changed page deletes vectors no passage has any more: one or two texts more, not one per page.
      expect(after[0]!.count).toBeLessThanOrEqual(named + 3);
      const stored = await database.query<{ locator: string; text: string; postings: number; vectors: number }>(
        `select d.locator, c.text, (select count(*)::int from keyword_postings p where p.chunk_id = c.id) as postings,
                (select count(*)::int from embeddings e where e.content_hash = c.content_hash)
                  + (select count(*)::int from unindexed_embeddings u where u.content_hash = c.content_hash) as vectors
         from chunks c join documents d on d.id = c.document_id order by d.locator, c.ordinal`,
      );
      expect(stored.map(({ locator, text }) => [locator, text])).toEqual([
        ['a', 'feedback for a new manager'],
        ['a', 'hiring for the platform team'],
        ['b', 'an incident review'],
        ['b', 'a migration plan'],
      ]);
      for (const row of stored) {
        expect(row.postings).toBeGreaterThan(1);
        expect(row.vectors).toBe(1);
      }
      // The vector of the passage that went is gone with it.
      const [orphans] = await database.query<{ count: number }>(
        `select count(*)::int as count from (select content_hash from embeddings union all select content_hash from unindexed_embeddings) v
         where not exists (select 1 from chunks c where c.content_hash = v.content_hash)`,
      );
      expect(orphans!.count).toBe(0);
    } finally {
      await database.close();
    }
  });
});
