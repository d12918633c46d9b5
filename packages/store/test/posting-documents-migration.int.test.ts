import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, PgliteDatabase, pgliteDirectory, POSTINGS_TERM_INDEX, Store } from '../src/index.js';
import { earlierMigrations } from './runtimes.js';

// Migration 0013 puts each keyword posting's page (document) beside its chunk, in the table and
// in the keyword list's term index, for page-level keyword evidence.
describe('migration 0013: each posting knows its page', () => {
  it("fills every posting's page from its chunk, drops unreachable postings, and builds the term index with the page in it", async () => {
    const earlier = earlierMigrations('0013');
    const dataDir = mkdtempSync(join(tmpdir(), 'cairn-0013-'));
    try {
      const database = await PgliteDatabase.open(pgliteDirectory(dataDir));
      try {
        await migrate(database, { directory: earlier });
        await database.exec(`
          insert into sources (id, name, kind, base_url) values ('00000000-0000-0000-0000-00000000000a', 'site', 'web', 'https://site.test/');
          insert into documents (id, source_id, locator, url, kind, title, content_hash)
            values ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-00000000000a', 'one', 'https://site.test/one', 'article', 'One', 'h1'),
                   ('00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-00000000000a', 'two', 'https://site.test/two', 'article', 'Two', 'h2');
          insert into chunks (id, document_id, source_id, ordinal, heading_path, heading, text, token_count, content_hash)
            values ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-00000000000a', 0, '{}', 'One', 'alpha beta', 2, 'c1'),
                   ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-00000000000a', 1, '{}', 'One', 'beta', 1, 'c2'),
                   ('00000000-0000-0000-0000-0000000000c3', '00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-00000000000a', 0, '{}', 'Two', 'alpha', 1, 'c3');
          insert into keyword_postings (term, chunk_id, source_id, weight) values
            ('alpha', '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-00000000000a', 0.5),
            ('beta', '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-00000000000a', 0.4),
            ('beta', '00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-00000000000a', 0.7),
            ('alpha', '00000000-0000-0000-0000-0000000000c3', '00000000-0000-0000-0000-00000000000a', 0.9),
            -- A posting whose chunk is gone: nothing can reach it.
            ('alpha', '00000000-0000-0000-0000-0000000000ff', '00000000-0000-0000-0000-00000000000a', 0.3);
          -- As a bulk run leaves it when cut short: the term index dropped.
          drop index ${POSTINGS_TERM_INDEX};
        `);
      } finally {
        await database.close();
      }

      // Store.open applies 0013 and, on PGlite, vacuums the rewritten postings.
      const store = await Store.open({ dataDir });
      try {
        const postings = await store.database.query<{ term: string; chunk: string; page: string }>(
          `select term, right(chunk_id::text, 2) as chunk, right(document_id::text, 2) as page from keyword_postings order by 1, 2`,
        );
        expect(postings).toEqual([
          { term: 'alpha', chunk: 'c1', page: 'd1' },
          { term: 'alpha', chunk: 'c3', page: 'd2' },
          { term: 'beta', chunk: 'c1', page: 'd1' },
          { term: 'beta', chunk: 'c2', page: 'd1' },
        ]);
        const [index] = await store.database.query<{ indexdef: string }>('select indexdef from pg_indexes where indexname = $1', [
          POSTINGS_TERM_INDEX,
        ]);
        // With the page in it (0013); since 0015 equal weights in it are ordered by their chunk.
        expect(index!.indexdef).toContain('(term, weight DESC, chunk_id) INCLUDE (source_id, document_id)');
        const [visible] = await store.database.query<{ pages: number; visible: number }>(
          `select relpages as pages, relallvisible as visible from pg_class where relname = 'keyword_postings'`,
        );
        expect(visible!.pages).toBeGreaterThan(0);
        expect(visible!.visible).toBe(visible!.pages);
        // A posting without its page cannot be written any more.
        await expect(
          store.database.query(
            `insert into keyword_postings (term, chunk_id, source_id, weight) values ('gamma', '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-00000000000a', 1)`,
          ),
        ).rejects.toThrow(/document_id/);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(earlier, { recursive: true, force: true });
    }
  }, 120_000);
});
