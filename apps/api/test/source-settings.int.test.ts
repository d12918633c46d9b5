import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import { testRuntimes } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

describe.each(testRuntimes)("a source's schedule and URLs, checked at the door, on $name", (testRuntime) => {
  let app: FastifyInstance;
  let runtime: Runtime;
  let drop: () => Promise<void>;
  let sourceId: string;

  beforeAll(async () => {
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({ CAIRN_STARTER_CORPUS: 'off', ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}) });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime);
    const source = await app.inject({
      method: 'POST',
      url: '/v1/sources',
      payload: { name: 'checked', baseUrl: 'https://checked.example.com/' },
    });
    sourceId = source.json().id;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  const create = (payload: object) => app.inject({ method: 'POST', url: '/v1/sources', payload: { name: 'new-source', ...payload } });
  const change = (payload: object) => app.inject({ method: 'PATCH', url: `/v1/sources/${sourceId}`, payload });

  it('refuses a schedule that is not a cron expression BullMQ can run, with 400 invalid_schedule', async () => {
    for (const schedule of [
      '99 99 99 99 99',
      '60 * * * *',
      '0 24 * * *',
      '0 0 32 * *',
      '0 0 * 13 *',
      '0 0 * * 8',
      '*/0 * * * *',
      '0 0 30 2 *',
      'a b c d e',
      '* * * * * *',
    ]) {
      for (const response of [await create({ baseUrl: 'https://new.example.com/', schedule }), await change({ schedule })]) {
        expect(response.statusCode, `${schedule}: ${response.body}`).toBe(400);
        expect(response.json().error.code, schedule).toBe('invalid_schedule');
        expect(response.json().error.message, schedule).toContain(schedule);
      }
    }
    expect((await runtime.store.sources.findByName('new-source')) ?? null).toBeNull();
    expect((await runtime.store.sources.findByName('checked'))!.schedule).toBeNull();
  });

  it('takes the schedules it took before', async () => {
    for (const schedule of ['0 3 * * *', '*/15 * * * *', '0 6 * * 1-5', '0 0 1 * *', '0 0 * * 7', '0 12 * * MON', '0 0 29 2 *']) {
      const response = await change({ schedule });
      expect(response.statusCode, `${schedule}: ${response.body}`).toBe(200);
      expect(response.json().schedule).toBe(schedule);
    }
    expect((await change({ schedule: null })).json().schedule).toBeNull();
  });

  it('refuses a baseUrl or seed that does not parse as an http(s) URL with a host, with 400 invalid_url', async () => {
    for (const url of [
      'http://',
      'https://',
      'http://a b/',
      'http://[::1/',
      'http://exa mple.com/',
      'http://:80/',
      'https://%zz/',
      'http://a:99999/',
      // Other schemes: the same code as any address the crawler cannot fetch (was the schema's invalid_request).
      'ftp://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,x',
    ]) {
      for (const response of [
        await create({ baseUrl: url }),
        await change({ baseUrl: url }),
        await create({ baseUrl: 'https://new.example.com/', seeds: ['https://new.example.com/feed.xml', url] }),
        await change({ seeds: [url] }),
      ]) {
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
        expect(response.json().error.code, url).toBe('invalid_url');
        expect(response.json().error.message, url).toContain(JSON.stringify(url));
      }
    }
    expect((await runtime.store.sources.findByName('new-source')) ?? null).toBeNull();
    const unchanged = (await runtime.store.sources.findByName('checked'))!;
    expect(unchanged).toMatchObject({ baseUrl: 'https://checked.example.com/' });
  });

  it('takes the URLs it took before', async () => {
    const created = await create({
      baseUrl: 'https://new.example.com/blog/',
      seeds: ['https://new.example.com/sitemap.xml', 'http://127.0.0.1:8080/feed', 'https://[::1]/x', 'https://ünïcode.example/'],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await change({ baseUrl: 'https://Checked.Example.com:8443/path?q=1' })).statusCode).toBe(200);
    // A scheme in capitals is a scheme (RFC 3986 §3.1): the schema's `^https?://` refused it.
    expect((await change({ baseUrl: 'HTTPS://checked.example.com/', seeds: ['Http://checked.example.com/feed.xml'] })).statusCode).toBe(
      200,
    );
  });
});
