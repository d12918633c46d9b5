import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '@cairn/store';
import { createTestDatabase, startFixtureSite, waitFor, type FixtureSite, type TestDatabase } from '@cairn/testing';
import { baseEnvironment, startCairn } from './services.js';

/**
 * Ctrl-C on `cairn ingest`: the run stops after the page in hand and is recorded as cancelled,
 * what was stored stays, and the command exits 130. Before, the process died at once and its run
 * stayed `running` for ever (no owner, no heartbeat: nothing recovers a CLI run on server Postgres).
 */
describe('fault: Ctrl-C during cairn ingest', () => {
  let database: TestDatabase;
  let site: FixtureSite;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase('cairn_faults_ctrl_c');
    site = await startFixtureSite({ syntheticPages: 80, responseDelayMs: 150 });
    store = await Store.open({ databaseUrl: database.url });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await site?.close();
    await database?.drop();
  });

  it('records the run as cancelled, keeps the pages stored, and exits 130', async () => {
    const ingest = startCairn(
      ['ingest', '--url', `${site.url}/sitemap-bench.xml`, '--name', 'slow-site'],
      baseEnvironment({ DATABASE_URL: database.url, EMBEDDING_MODEL: 'local-hash-v1' }),
    );
    try {
      const runId = await waitFor(
        async () => {
          const [run] = await store.database.query<{ id: string }>(
            `select id from ingest_runs where trigger = 'cli' and status = 'running'`,
          );
          return run && (await store.runs.items(run.id)).length > 0 ? run.id : undefined;
        },
        60_000,
        'the CLI run to be under way',
        50,
      );
      ingest.child.kill('SIGINT');
      const exit = await ingest.exited;
      expect(exit, ingest.output()).toEqual({ code: 130, signal: null });
      expect(ingest.output()).toMatch(/SIGINT: stopping after the page in hand/);
      expect(ingest.output()).toMatch(/run cancelled/);
      const run = await store.runs.find(runId);
      expect(run).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/^stopped by SIGINT on cairn ingest/) });
      expect(run!.counts.fetched).toBeGreaterThan(0);
      expect(run!.counts.fetched).toBeLessThan(80);
      // What was stored before the signal stays searchable.
      const [counted] = await store.database.query<{ documents: number }>(
        `select count(*)::int as documents from documents d join sources s on s.id = d.source_id where s.name = 'slow-site'`,
      );
      expect(counted?.documents).toBeGreaterThan(0);
    } finally {
      await ingest.kill();
    }
  }, 120_000);
});
