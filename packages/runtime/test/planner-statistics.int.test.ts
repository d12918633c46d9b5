import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { createTestDatabase } from '@cairn/testing';
import { createRetriever, openRuntime } from '../src/index.js';

/** The tables search plans read, whose row estimates must match what is in them. */
const searchTables = ['sources', 'documents', 'chunks', 'embeddings', 'keyword_postings'];

const runtimes = [
  {
    name: 'pglite',
    async open() {
      const dataDir = await mkdtemp(join(tmpdir(), 'cairn-statistics-'));
      return { environment: { CAIRN_DATA_DIR: dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const database = await createTestDatabase();
      return { environment: { DATABASE_URL: database.url }, drop: database.drop };
    },
  },
];

describe.each(runtimes)('planner statistics after the first start on $name', (runtime) => {
  it('match the starter corpus and the default sources, and retrieval returns cited passages', async () => {
    const { environment, drop } = await runtime.open();
    try {
      const config = loadConfig(environment);
      const opened = await openRuntime(config);
      try {
        for (const table of searchTables) {
          const [row] = await opened.store.database.query<{ estimated: number; actual: number }>(
            `select (select reltuples from pg_class where oid = '${table}'::regclass)::int as estimated, (select count(*)::int from ${table}) as actual`,
          );
          expect({ table, ...row }).toEqual({ table, estimated: row!.actual, actual: row!.actual });
        }
        const sources = await opened.store.database.query<{ count: number }>('select count(*)::int as count from sources');
        expect(sources[0]!.count).toBeGreaterThan(1);

        const { results } = await createRetriever({ config, store: opened.store, searchEmbedder: opened.searchEmbedder }).retrieve(
          'How do I give feedback to a peer?',
          { k: 6 },
        );
        expect(results).toHaveLength(6);
        for (const result of results) {
          expect(result.text.length).toBeGreaterThan(0);
          expect(result.title.length).toBeGreaterThan(0);
          expect(result.url).toMatch(/^https?:\/\//);
          expect(result.source).toBe('starter-notes');
        }
      } finally {
        await opened.close();
      }
    } finally {
      await drop();
    }
  }, 120_000);
});
