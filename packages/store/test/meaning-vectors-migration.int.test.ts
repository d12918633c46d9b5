import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hnswIndexName, migrate, PgliteDatabase } from '../src/index.js';
import { earlierMigrations } from './runtimes.js';

// Migration 0011 gives local-semantic-v2 its meaning part (the first 100 dimensions of its
// sparse vectors), read off the vectors stored before, and moves its HNSW index onto it.
describe('migration 0011: the meaning part of stored vectors', () => {
  it('fills the meaning of each stored vector from its first 100 dimensions and indexes that', async () => {
    const earlier = earlierMigrations('0011');
    const database = await PgliteDatabase.open(undefined);
    const model = 'local-semantic-v2';
    const dimensions = 16_777_316;
    try {
      await migrate(database, { directory: earlier });
      await database.exec(
        `insert into embedding_models (id, dimensions, vector_type, status) values ('${model}', ${dimensions}, 'sparsevec', 'active'),
           ('other-sparse-v1', ${dimensions}, 'sparsevec', 'building')`,
      );
      // The index as registerModel built it before: on the whole sparse vectors.
      await database.exec(
        `create index ${hnswIndexName(model)} on embeddings using hnsw ((sparse_embedding::sparsevec(${dimensions})) sparsevec_cosine_ops) where model = '${model}'`,
      );
      // Meaning at indices 1 (1-based), 50 and 100, lexical entries after; one vector with lexical entries only.
      const withMeaning = `{1:0.25,50:-0.5,100:0.125,101:0.5,5000000:0.5}/${dimensions}`;
      const lexicalOnly = `{200:0.6,16777316:0.8}/${dimensions}`;
      await database.query(
        `insert into embeddings (model, content_hash, sparse_embedding) values ($1, 'a', $2), ($1, 'b', $3), ('other-sparse-v1', 'a', $2)`,
        [model, withMeaning, lexicalOnly],
      );
      await database.query(`insert into unindexed_embeddings (model, content_hash, sparse_embedding) values ($1, 'c', $2)`, [
        model,
        withMeaning,
      ]);

      expect((await migrate(database)).applied[0]).toBe('0011_add_meaning_vectors.sql');

      const expected = Array.from({ length: 100 }, (_, index) => ({ 0: 0.25, 49: -0.5, 99: 0.125 })[index] ?? 0);
      const rows = await database.query<{ table: string; model: string; content_hash: string; meaning: string | null }>(
        `select 'embeddings' as table, model, content_hash, meaning::text as meaning from embeddings
         union all select 'unindexed', model, content_hash, meaning::text from unindexed_embeddings
         order by 1, 2, 3`,
      );
      expect(rows.map((row) => ({ ...row, meaning: row.meaning === null ? null : (JSON.parse(row.meaning) as number[]) }))).toEqual([
        { table: 'embeddings', model, content_hash: 'a', meaning: expected },
        { table: 'embeddings', model, content_hash: 'b', meaning: null },
        // Another model names no meaning part: its vectors keep none.
        { table: 'embeddings', model: 'other-sparse-v1', content_hash: 'a', meaning: null },
        { table: 'unindexed', model, content_hash: 'c', meaning: expected },
      ]);
      expect(await database.query(`select id, meaning_dimensions from embedding_models order by id`)).toEqual([
        { id: model, meaning_dimensions: 100 },
        { id: 'other-sparse-v1', meaning_dimensions: null },
      ]);
      const [index] = await database.query<{ indexdef: string }>('select indexdef from pg_indexes where indexname = $1', [
        hnswIndexName(model),
      ]);
      expect(index!.indexdef).toContain('(meaning)::vector(100)');
      expect(index!.indexdef).toContain(`WHERE (model = '${model}'::text)`);
    } finally {
      await database.close();
      rmSync(earlier, { recursive: true, force: true });
    }
  }, 60_000);
});
