import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import { ingestDirectory } from '@cairn/ingest';
import { testRuntimes } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

const note = (title: string) =>
  `---\ntitle: ${title}\nauthor: Test Author\nurl: https://example.com/${title}/\n---\n\n## Body\n\n${title} has words about delegation and feedback in it.\n`;

/** GET /v1/sources: each source's pages by age since their last crawl, as the admin UI's freshness chart draws them. */
describe.each(testRuntimes)('source freshness buckets on $name', (testRuntime) => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  let directory: string;

  beforeAll(async () => {
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({
      CAIRN_STARTER_CORPUS: 'off',
      EMBEDDING_MODEL: 'local-hash-v1',
      ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}),
    });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime);
    directory = await mkdtemp(join(tmpdir(), 'cairn-freshness-'));
    for (const name of ['fresh', 'recent', 'month', 'old', 'older', 'gone']) await writeFile(join(directory, `${name}.md`), note(name));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await drop?.();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('counts active pages by days since their last crawl, the stale bucket matching `stale`, vanished pages apart', async () => {
    const result = await ingestDirectory(runtime.store, runtime.embedder, { directory, sourceName: 'aged-notes' });
    expect(result.counts.fetched).toBe(6);
    // Age the pages by hand: what a crawl months apart would leave.
    const age = (title: string, days: number) =>
      runtime.store.database.query(`update documents set fetched_at = now() - make_interval(days => $2) where title = $1`, [title, days]);
    await age('recent', 3);
    await age('month', 12);
    await age('old', 45);
    await age('older', 400);
    await runtime.store.database.query(`update documents set status = 'tombstoned' where title = $1`, ['gone']);

    const list = (await app.inject('/v1/sources')).json();
    const source = list.sources.find((item: { name: string }) => item.name === 'aged-notes');
    expect(source).toMatchObject({ documents: 5, stale: 2, tombstoned: 1 });
    expect(source.freshness).toEqual([
      { fromDays: 0, toDays: 1, pages: 1, stale: false },
      { fromDays: 1, toDays: 7, pages: 1, stale: false },
      { fromDays: 7, toDays: 30, pages: 1, stale: false },
      { fromDays: 30, toDays: null, pages: 2, stale: true },
    ]);

    // The stale age moves the last cut; a source without pages has every bucket at 0.
    const weekly = (await app.inject('/v1/sources?staleAfterDays=7')).json();
    const aged = weekly.sources.find((item: { name: string }) => item.name === 'aged-notes');
    expect(aged.stale).toBe(3);
    expect(aged.freshness.map((bucket: { pages: number }) => bucket.pages)).toEqual([1, 1, 3]);
    expect(aged.freshness.at(-1)).toEqual({ fromDays: 7, toDays: null, pages: 3, stale: true });
    const empty = weekly.sources.find((item: { name: string }) => item.name === 'lethain');
    expect(empty.freshness).toEqual([
      { fromDays: 0, toDays: 1, pages: 0, stale: false },
      { fromDays: 1, toDays: 7, pages: 0, stale: false },
      { fromDays: 7, toDays: null, pages: 0, stale: true },
    ]);
  });

  it('documents the buckets in OpenAPI', async () => {
    const spec = (await app.inject('/openapi.json')).json();
    expect(JSON.stringify(spec.paths['/v1/sources'].get.responses['200'])).toContain('freshness');
  });
});
