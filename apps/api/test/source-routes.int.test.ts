import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import type { InProcessRunner } from '@cairn/ingest';
import { startFixtureSite, testRuntimes, type FixtureSite } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

describe.each(testRuntimes)('sources and runs API on $name', (testRuntime) => {
  let app: FastifyInstance;
  let runtime: Runtime;
  let drop: () => Promise<void>;
  let site: FixtureSite;

  beforeAll(async () => {
    site = await startFixtureSite();
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({
      CAIRN_STARTER_CORPUS: 'off',
      INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
      ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}),
    });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime);
  }, 60_000);

  afterAll(async () => {
    await site?.close();
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  it('lists the real sources, configured but not crawled', async () => {
    const { sources } = (await app.inject('/v1/sources')).json();
    const byName = Object.fromEntries(sources.map((source: { name: string }) => [source.name, source]));
    for (const name of ['lethain', 'staffeng', 'infraeng', 'larahogan', 'technical-coherence']) {
      expect(byName[name]).toMatchObject({ kind: 'web', enabled: true, documents: 0, chunks: 0, newestFetch: null });
    }
    expect(byName.lethain.seeds).toContain('https://lethain.com/feeds.xml');
    expect(byName.staffeng.seeds).toContain('https://staffeng.com/index.xml');
    expect(byName.larahogan.seeds).toContain('https://larahogan.me/feed.xml');
    expect(byName['technical-coherence'].seeds).toContain('https://jackdanger.com/technical-coherence/');
    expect((await app.inject('/v1/ingest/runs')).json().runs).toEqual([]);
  });

  it('creates a name once when ten requests ask for it at the same time, and keeps the one it answered 201 with', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        app.inject({
          method: 'POST',
          url: '/v1/sources',
          payload: { name: 'race', baseUrl: `https://site${index}.example.com/`, maxPages: index + 1 },
        }),
      ),
    );
    const created = responses.filter((response) => response.statusCode === 201);
    expect(created).toHaveLength(1);
    expect(
      responses.filter((response) => response.statusCode === 409).every((response) => response.json().error.code === 'source_exists'),
    ).toBe(true);
    const { sources } = (await app.inject('/v1/sources')).json();
    const stored = sources.find((source: { name: string }) => source.name === 'race');
    expect(stored).toMatchObject({ baseUrl: created[0]!.json().baseUrl, maxPages: created[0]!.json().maxPages });
    expect((await app.inject({ method: 'DELETE', url: `/v1/sources/${stored.id}` })).statusCode).toBe(204);
  });

  it('creates, changes and deletes a source, with codes for bad input', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/sources',
      payload: { name: 'team-wiki', baseUrl: 'https://wiki.example.com/eng/', exclude: ['/drafts/'], maxPages: 50 },
    });
    expect(created.statusCode).toBe(201);
    const source = created.json();
    expect(source).toMatchObject({ name: 'team-wiki', kind: 'web', maxPages: 50, crawlDelayMs: 1000, exclude: ['/drafts/'] });

    const duplicate = await app.inject({
      method: 'POST',
      url: '/v1/sources',
      payload: { name: 'team-wiki', baseUrl: 'https://other.example.com/' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('source_exists');
    const badPattern = await app.inject({
      method: 'POST',
      url: '/v1/sources',
      payload: { name: 'bad', baseUrl: 'https://x.example.com/', include: ['(unclosed'] },
    });
    expect(badPattern.statusCode).toBe(400);
    expect(badPattern.json().error.message).toMatch(/not a valid regular expression/);
    const badUrl = await app.inject({ method: 'POST', url: '/v1/sources', payload: { name: 'bad', baseUrl: 'ftp://x.example.com/' } });
    expect(badUrl.json().error.code).toBe('invalid_url');

    const patched = await app.inject({ method: 'PATCH', url: `/v1/sources/${source.id}`, payload: { crawlDelayMs: 5000, enabled: false } });
    expect(patched.json()).toMatchObject({ name: 'team-wiki', crawlDelayMs: 5000, enabled: false, maxPages: 50 });

    // A source's addresses are shown to every key that lists sources: no credentials in them.
    for (const payload of [
      { name: 'secret-wiki', baseUrl: 'https://user:secret@wiki.example.com/' },
      { name: 'secret-wiki', baseUrl: 'https://wiki.example.com/', seeds: ['https://token@wiki.example.com/feed.xml'] },
    ]) {
      const withCredentials = await app.inject({ method: 'POST', url: '/v1/sources', payload });
      expect(withCredentials.statusCode).toBe(400);
      expect(withCredentials.json().error).toMatchObject({ code: 'invalid_url', message: expect.stringMatching(/user name or password/) });
    }
    const patchedCredentials = await app.inject({
      method: 'PATCH',
      url: `/v1/sources/${source.id}`,
      payload: { baseUrl: 'https://user:secret@wiki.example.com/eng/' },
    });
    expect(patchedCredentials.json().error.code).toBe('invalid_url');
    expect((await runtime.store.sources.findByName('secret-wiki')) ?? null).toBeNull();

    expect((await app.inject({ method: 'DELETE', url: `/v1/sources/${source.id}` })).statusCode).toBe(204);
    for (const request of [
      { method: 'DELETE' as const, url: `/v1/sources/${source.id}` },
      { method: 'PATCH' as const, url: '/v1/sources/not-an-id', payload: { enabled: true } },
      { method: 'POST' as const, url: '/v1/ingest/runs', payload: { sourceId: source.id } },
      { method: 'GET' as const, url: '/v1/ingest/runs/6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11' },
    ]) {
      const response = await app.inject(request);
      expect(response.statusCode, request.url).toBe(404);
      expect(response.json().error.code).toMatch(/^(source|run)_not_found$/);
    }
  });

  it('runs an ingestion of a new source in the background and reports its counts and ledger', async () => {
    const created = (
      await app.inject({ method: 'POST', url: '/v1/sources', payload: { name: 'fixture', baseUrl: `${site.url}/`, crawlDelayMs: 0 } })
    ).json();
    const started = await app.inject({ method: 'POST', url: '/v1/ingest/runs', payload: { sourceId: created.id } });
    expect(started.statusCode).toBe(202);
    const { runId } = started.json();
    let run = (await app.inject(`/v1/ingest/runs/${runId}`)).json();
    expect(['queued', 'running', 'succeeded']).toContain(run.status);
    // Without REDIS_URL the run is crawled in this process.
    await (runtime.runner as InProcessRunner).idle();
    run = (await app.inject(`/v1/ingest/runs/${runId}`)).json();
    expect(run).toMatchObject({ id: runId, sourceId: created.id, trigger: 'api', status: 'succeeded', counts: { failed: 0 } });
    expect(run.counts.fetched).toBeGreaterThanOrEqual(10);
    expect(run.finishedAt).not.toBeNull();
    expect(run.items.some((item: { outcome: string; httpStatus: number }) => item.outcome === 'changed' && item.httpStatus === 200)).toBe(
      true,
    );
    const listed = (await app.inject('/v1/sources')).json().sources.find((source: { name: string }) => source.name === 'fixture');
    // A redirect to a page already ingested is fetched again but is no new document.
    expect(listed.documents).toBeGreaterThanOrEqual(10);
    expect(listed.documents).toBeLessThanOrEqual(run.counts.fetched);
    expect(listed.newestFetch).not.toBeNull();
    expect(listed.lastRun).toMatchObject({ id: runId, status: 'succeeded', finishedAt: run.finishedAt });
    expect(listed.stale).toBe(0);
    expect((await app.inject('/v1/ingest/runs')).json().runs[0].id).toBe(runId);

    // Freshness: a page last fetched 40 days ago is stale under the default 30 days, not under 60.
    await runtime.store.database.query(
      `update documents set fetched_at = now() - interval '40 days'
       where id = (select id from documents where source_id = $1 and status = 'active' order by locator limit 1)`,
      [created.id],
    );
    const aged = (await app.inject('/v1/sources')).json();
    expect(aged.staleAfterDays).toBe(30);
    const agedSource = aged.sources.find((source: { name: string }) => source.name === 'fixture');
    expect(agedSource.stale).toBe(1);
    expect(Date.parse(agedSource.oldestFetch)).toBeLessThan(Date.now() - 39 * 86_400_000);
    expect(
      (await app.inject('/v1/sources?staleAfterDays=60')).json().sources.find((source: { name: string }) => source.name === 'fixture')
        .stale,
    ).toBe(0);
    expect((await app.inject('/v1/sources?staleAfterDays=0')).statusCode).toBe(400);

    // A citation of a crawled page says when it was last crawled.
    const asked = (
      await app.inject({
        method: 'POST',
        url: '/v1/ask',
        payload: { question: 'How do staff engineers set technical direction?', filters: { sources: ['fixture'] } },
      })
    ).json();
    expect(asked.citations.length).toBeGreaterThan(0);
    for (const citation of asked.citations) expect(Date.parse(citation.fetchedAt)).toBeGreaterThan(0);
  }, 60_000);

  it('cancels the runs of a source it deletes, running and queued, without a database error in their record', async () => {
    const slow = await startFixtureSite({ syntheticPages: 200, responseDelayMs: 100 });
    try {
      const source = (
        await app.inject({
          method: 'POST',
          url: '/v1/sources',
          payload: { name: 'deleted-mid-run', baseUrl: `${slow.url}/bench/`, seeds: [`${slow.url}/sitemap-bench.xml`], crawlDelayMs: 0 },
        })
      ).json();
      const running = (await app.inject({ method: 'POST', url: '/v1/ingest/runs', payload: { sourceId: source.id } })).json();
      const queued = (await app.inject({ method: 'POST', url: '/v1/ingest/runs', payload: { sourceId: source.id } })).json();
      // The crawl under way when the source goes: the pages it stores next have no source.
      await expect
        .poll(async () => (await app.inject(`/v1/ingest/runs/${running.runId}`)).json().status, { timeout: 30_000, interval: 20 })
        .toBe('running');
      const deleted = await app.inject({ method: 'DELETE', url: `/v1/sources/${source.id}` });
      expect(deleted.statusCode).toBe(204);
      await (runtime.runner as InProcessRunner).idle();
      for (const runId of [running.runId, queued.runId]) {
        const run = (await app.inject(`/v1/ingest/runs/${runId}`)).json();
        expect(run.status, JSON.stringify(run)).toBe('cancelled');
        expect(run.error).toMatch(/source was deleted/);
        expect(JSON.stringify(run)).not.toMatch(/constraint|violates|insert or update/);
      }
      expect((await app.inject(`/v1/ingest/runs/${queued.runId}`)).json().startedAt).toBeNull();
      const [left] = await runtime.store.database.query<{ documents: number }>(
        `select count(*)::int as documents from documents d join sources s on s.id = d.source_id where s.name = 'deleted-mid-run'`,
      );
      expect(left!.documents).toBe(0);
    } finally {
      await slow.close();
    }
  }, 90_000);

  it('runs one page of a source (url), and refuses a page without its source or outside it', async () => {
    const source = (
      await app.inject({
        method: 'POST',
        url: '/v1/sources',
        payload: { name: 'one-page', baseUrl: `${site.url}/posts/`, crawlDelayMs: 0 },
      })
    ).json();
    const url = `${site.url}/posts/running-incident-reviews/`;
    const started = await app.inject({ method: 'POST', url: '/v1/ingest/runs', payload: { sourceId: source.id, url } });
    expect(started.statusCode).toBe(202);
    await (runtime.runner as InProcessRunner).idle();
    const run = (await app.inject(`/v1/ingest/runs/${started.json().runId}`)).json();
    expect(run).toMatchObject({ status: 'succeeded', counts: { discovered: 1, fetched: 1, failed: 0 } });
    expect(run.items).toEqual([expect.objectContaining({ url, httpStatus: 200, outcome: 'changed' })]);

    const refusals = [
      [{ url }, /needs the sourceId/],
      [{ sourceId: source.id, url: `${site.url}/blog/` }, /not within the source one-page/],
      [{ sourceId: source.id, url: 'not a url' }, /url/],
    ] as const;
    for (const [payload, message] of refusals) {
      const response = await app.inject({ method: 'POST', url: '/v1/ingest/runs', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(message) });
    }

    // A directory of notes is read from disk, never crawled: no run, and no web address to give it.
    const notes = await runtime.store.sources.upsert({ name: 'team-notes', kind: 'directory', baseUrl: 'file:///srv/notes/' });
    const runsBefore = (await app.inject('/v1/ingest/runs')).json().runs.length;
    for (const payload of [{ sourceId: notes.id }, { sourceId: notes.id, url: `${site.url}/posts/running-incident-reviews/` }]) {
      const response = await app.inject({ method: 'POST', url: '/v1/ingest/runs', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toMatchObject({
        code: 'invalid_request',
        message: expect.stringMatching(/team-notes is a directory source/),
      });
    }
    expect((await app.inject('/v1/ingest/runs')).json().runs).toHaveLength(runsBefore);
    for (const payload of [
      { baseUrl: `${site.url}/posts/` },
      { seeds: [`${site.url}/posts/`] },
      { publicBaseUrl: 'https://notes.example.com/' },
    ]) {
      const response = await app.inject({ method: 'PATCH', url: `/v1/sources/${notes.id}`, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
    expect((await app.inject({ method: 'PATCH', url: `/v1/sources/${notes.id}`, payload: { enabled: false } })).json()).toMatchObject({
      kind: 'directory',
      baseUrl: 'file:///srv/notes/',
      enabled: false,
    });
    await runtime.store.sources.delete(notes.id);

    // A page that is gone: the run fails with the reason, and nothing else breaks.
    const gone = await app.inject({
      method: 'POST',
      url: '/v1/ingest/runs',
      payload: { sourceId: source.id, url: `${site.url}/posts/never-written/` },
    });
    await (runtime.runner as InProcessRunner).idle();
    expect((await app.inject(`/v1/ingest/runs/${gone.json().runId}`)).json()).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/HTTP 404/),
    });
  }, 60_000);
});
