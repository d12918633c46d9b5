import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrate, PgliteDatabase } from '../src/index.js';
import { earlierMigrations } from './runtimes.js';

// Migration 0010 removes the vectors that deleting a source left behind before
// SourcesRepository.delete removed them itself: the nearest-first dense list must not meet them.
describe('migration 0010: vectors no passage has', () => {
  it('deletes vectors without a passage and keeps those with one, in both tables', async () => {
    const earlier = earlierMigrations('0010');
    const database = await PgliteDatabase.open(undefined);
    try {
      await migrate(database, { directory: earlier });
      await database.exec(`insert into embedding_models (id, dimensions, status) values ('m', 3, 'active')`);
      const [source] = await database.query<{ id: string }>(
        `insert into sources (name, kind, base_url) values ('kept', 'web', 'https://kept.test/') returning id`,
      );
      const [document] = await database.query<{ id: string }>(
        `insert into documents (source_id, locator, url, kind, title, content_hash) values ($1, 'page', 'https://kept.test/page', 'article', 'Page', 'doc') returning id`,
        [source!.id],
      );
      await database.query(
        `insert into chunks (document_id, source_id, ordinal, heading_path, heading, text, token_count, content_hash)
         values ($1, $2, 0, '{}', 'Page', 'kept text', 2, 'kept')`,
        [document!.id, source!.id],
      );
      for (const table of ['embeddings', 'unindexed_embeddings'])
        await database.exec(
          `insert into ${table} (model, content_hash, embedding) values ('m', 'kept-${table}', '[1,0,0]'), ('m', 'orphan', '[0,1,0]')`,
        );
      await database.exec(`update embeddings set content_hash = 'kept' where content_hash = 'kept-embeddings'`);
      await database.exec(`update unindexed_embeddings set content_hash = 'kept' where content_hash = 'kept-unindexed_embeddings'`);

      const result = await migrate(database);
      expect(result.applied[0]).toBe('0010_delete_orphan_embeddings.sql');
      for (const table of ['embeddings', 'unindexed_embeddings'])
        expect(await database.query(`select content_hash from ${table} order by content_hash`)).toEqual([{ content_hash: 'kept' }]);
    } finally {
      await database.close();
      rmSync(earlier, { recursive: true, force: true });
    }
  }, 60_000);
});
