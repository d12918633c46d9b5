import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import { testRedisUrl, testRuntimes } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

/** Collects what the app logs, as text, to check that no secret reaches the log. */
function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: { level: 'debug', stream }, text: () => lines.join('') };
}

const adminKey = 'bootstrap-admin-key-0123456789';

/**
 * `embedder` with a query embedding that takes 5 s for the texts `slow` picks, and stops at its
 * signal (calling `onAbort`, rejecting with the signal's reason).
 */
function slowEmbedder(embedder: Embedder, slow: (text: string) => boolean, onAbort: () => void = () => undefined): Embedder {
  return {
    ...embedder,
    model: embedder.model,
    dimensions: embedder.dimensions,
    embedDocuments: (texts, options) => embedder.embedDocuments(texts, options),
    embedQuery: (text, options) =>
      slow(text)
        ? new Promise((resolve, reject) => {
            const timer = setTimeout(() => resolve(embedder.embedQuery(text)), 5000);
            options?.signal?.addEventListener('abort', () => {
              onAbort();
              clearTimeout(timer);
              reject(options.signal!.reason);
            });
          })
        : embedder.embedQuery(text, options),
  };
}

/**
 * A TCP relay in front of the test Redis that can go silent: connections stay open, and nothing goes through either
 * way (a network partition, a paused host, a Redis stuck in a long command), as a stopped Redis never shows.
 */
async function silenceableRelay(target: string): Promise<{ url: string; silence(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  let silent = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port || 6379), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (data) => void (silent || upstream.write(data)));
    upstream.on('data', (data) => void (silent || client.write(data)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.toString(),
    silence: () => void (silent = true),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.each(testRuntimes)('API keys on $name', (testRuntime) => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  const logs = logCapture();

  beforeAll(async () => {
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({ CAIRN_ADMIN_KEY: adminKey, ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}) });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime, { logger: logs.logger });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  const call = (
    method: 'GET' | 'POST' | 'DELETE' | 'PATCH',
    url: string,
    key?: string,
    payload?: object,
    header: 'authorization' | 'x-api-key' = 'authorization',
  ) =>
    app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: key ? { [header]: header === 'authorization' ? `Bearer ${key}` : key } : {},
    });

  it('requires a key once CAIRN_ADMIN_KEY is set, and says what is missing', async () => {
    const none = await call('POST', '/v1/search', undefined, { query: 'feedback' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('ask scope') });
    const wrong = await call('POST', '/v1/search', 'cairn_not-a-real-key-at-all-000000000000', { query: 'feedback' });
    expect(wrong.statusCode).toBe(401);
    expect((await call('POST', '/v1/search', adminKey, { query: 'feedback' })).statusCode).toBe(200);
    // Liveness, readiness, docs and the UI need no key.
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/docs/'])
      expect((await call('GET', url)).statusCode, url).toBeLessThan(400);
  });

  it('creates a key shown once and stored as a hash, enforces its scopes, and revokes it', async () => {
    const created = await call('POST', '/v1/keys', adminKey, { name: 'slack-bot', scopes: ['ask'] });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { key, id, prefix, scopes } = created.json();
    expect(key).toMatch(/^cairn_[A-Za-z0-9_-]{43}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(scopes).toEqual(['ask']);

    // Stored as its SHA-256 only; never listed again.
    const rows = await runtime.store.database.query<Record<string, unknown>>('select * from api_keys where id = $1', [id]);
    expect(rows[0]!.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(key);
    const listed = (await call('GET', '/v1/keys', adminKey)).json().keys;
    expect(listed.find((item: { id: string }) => item.id === id)).toMatchObject({
      name: 'slack-bot',
      prefix,
      scopes: ['ask'],
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(key);

    // The ask scope: search, answers, conversations, feedback, chat completions.
    const asked = await call('POST', '/v1/ask', key, { question: 'How do I give feedback to a peer?' });
    expect(asked.statusCode).toBe(200);
    expect((await call('GET', `/v1/conversations/${asked.json().conversationId}`, key)).statusCode).toBe(200);
    expect((await call('POST', '/v1/feedback', key, { messageId: asked.json().messageId, rating: 1 })).statusCode).toBe(201);
    expect(
      (await call('POST', '/v1/chat/completions', key, { messages: [{ role: 'user', content: 'What is a staff engineer?' }] })).statusCode,
    ).toBe(200);
    expect((await call('POST', '/v1/search', key, { query: 'archetypes' }, 'x-api-key')).statusCode).toBe(200);
    // ...and nothing of admin.
    for (const [method, url] of [
      ['GET', '/v1/sources'],
      ['POST', '/v1/ingest/runs'],
      ['GET', '/v1/ingest/runs'],
      ['GET', '/v1/keys'],
      ['GET', '/v1/feedback'],
      ['GET', '/metrics'],
    ] as const) {
      const response = await call(method, url, key, method === 'POST' ? {} : undefined);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    // An admin key may do both.
    const admin = (await call('POST', '/v1/keys', adminKey, { name: 'ops', scopes: ['admin'] })).json().key;
    expect((await call('GET', '/v1/sources', admin)).statusCode).toBe(200);
    expect((await call('POST', '/v1/search', admin, { query: 'archetypes' })).statusCode).toBe(200);

    const revoked = await call('DELETE', `/v1/keys/${id}`, admin);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await call('POST', '/v1/search', key, { query: 'archetypes' });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/unknown or revoked/);
    expect((await call('DELETE', '/v1/keys/6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11', admin)).json().error.code).toBe('key_not_found');
    expect((await call('POST', '/v1/keys', admin, { name: 'x', scopes: ['root'] })).statusCode).toBe(400);

    // No key or admin key reached the log; the request id did.
    const text = logs.text();
    expect(text).not.toContain(key);
    expect(text).not.toContain(admin);
    expect(text).not.toContain(adminKey);
    expect(text).toContain('"reqId"');
  });
});

describe('API keys from an open start, binding, limits, headers and metrics (PGlite)', () => {
  let runtime: Runtime;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    runtime = await openRuntime({ ...loadConfig({}), dataDir: '' }, { answers: true });
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await runtime?.close();
  });

  async function appWith(environment: Record<string, string>, options: { logger?: object; embedder?: Embedder } = {}) {
    const config = loadConfig({ ...environment });
    const app = await buildApp(
      { ...runtime, config, ...(options.embedder ? { embedder: options.embedder, searchEmbedder: options.embedder } : {}) },
      { logger: options.logger as never },
    );
    apps.push(app);
    return app;
  }

  it('runs open on loopback without keys and says so; beyond loopback it refuses to start without one', async () => {
    const logs = logCapture();
    const open = await appWith({}, { logger: logs.logger });
    expect((await open.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback' } })).statusCode).toBe(200);
    expect(logs.text()).toMatch(/the API is open to anyone/);
    // Requests are logged, except the probes' (called every few seconds by an orchestrator).
    expect(logs.text()).toMatch(/"url":"\/v1\/search"/);
    expect((await open.inject('/healthz')).statusCode).toBe(200);
    expect((await open.inject('/readyz')).statusCode).toBe(200);
    expect(logs.text()).not.toMatch(/"url":"\/(healthz|readyz)"/);
    await expect(appWith({ HOST: '0.0.0.0' })).rejects.toThrowError(ConfigError);
    await expect(appWith({ HOST: '0.0.0.0' })).rejects.toThrowError(/HOST.*no API key exists/);
    const guarded = await appWith({ HOST: '0.0.0.0', CAIRN_ADMIN_KEY: adminKey });
    expect((await guarded.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback' } })).statusCode).toBe(401);
  });

  it('runs open only for requests addressed to a loopback host from its own origin (a rebound domain cannot create the first key)', async () => {
    const open = await appWith({});
    const createKey = (headers: Record<string, string>) =>
      open.inject({ method: 'POST', url: '/v1/keys', payload: { name: 'rebound', scopes: ['admin'] }, headers });
    // A page on a domain made to resolve to 127.0.0.1 (DNS rebinding) calls with its own Host and Origin.
    const rebound = await createKey({ host: 'attacker.example:3000', origin: 'http://attacker.example:3000' });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json().error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/loopback host.*attacker\.example/) });
    const reboundSearch = await open.inject({
      method: 'POST',
      url: '/v1/search',
      payload: { query: 'feedback' },
      headers: { host: 'attacker.example' },
    });
    expect(reboundSearch.statusCode).toBe(403);
    // A foreign page posting to 127.0.0.1 directly carries its Origin.
    const foreign = await createKey({ host: '127.0.0.1:3000', origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.message).toMatch(/origin https:\/\/evil\.example may not call POST \/v1\/keys/);
    expect(await runtime.store.apiKeys.countActive()).toBe(0);
    // The API's own pages (same origin) and clients that send no Origin, on a loopback name, are served.
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000'])
      expect(
        (
          await open.inject({
            method: 'POST',
            url: '/v1/search',
            payload: { query: 'feedback' },
            headers: { host, origin: `http://${host}` },
          })
        ).statusCode,
      ).toBe(200);
    // Public routes (probes, docs) answer whatever the Host.
    expect((await open.inject({ method: 'GET', url: '/healthz', headers: { host: 'attacker.example' } })).statusCode).toBe(200);
  });

  it('limits requests per key a minute, answers apart, with 429, a code and Retry-After', async () => {
    const app = await appWith({ CAIRN_ADMIN_KEY: adminKey, RATE_LIMIT_MAX: '3', RATE_LIMIT_ASK_MAX: '2' });
    const search = (key: string) =>
      app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback' }, headers: { authorization: `Bearer ${key}` } });
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await search(adminKey)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await search(adminKey);
    expect(limited.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('a minute for this key') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Answers count apart from the rest.
    const ask = () =>
      app.inject({
        method: 'POST',
        url: '/v1/ask',
        payload: { question: 'How do I give feedback?' },
        headers: { authorization: `Bearer ${adminKey}` },
      });
    expect([(await ask()).statusCode, (await ask()).statusCode, (await ask()).statusCode]).toEqual([200, 200, 429]);
    // Health checks are never limited.
    for (let index = 0; index < 5; index += 1) expect((await app.inject('/healthz')).statusCode).toBe(200);
    // Open (no key at all), the count is per address, and the message says so.
    const open = await appWith({ RATE_LIMIT_MAX: '1' });
    const search2 = () => open.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback' } });
    expect((await search2()).statusCode).toBe(200);
    const limitedOpen = await search2();
    expect(limitedOpen.statusCode).toBe(429);
    expect(limitedOpen.json().error.message).toContain('a minute for this address');
  });

  it('shares the counts through Redis, so that the limit holds across replicas', async () => {
    const environment = {
      CAIRN_ADMIN_KEY: adminKey,
      RATE_LIMIT_MAX: '4',
      REDIS_URL: testRedisUrl(),
      CAIRN_QUEUE_PREFIX: `rl-test-${process.pid}-${Date.now()}`,
    };
    const [first, second] = [await appWith(environment), await appWith(environment)];
    const statuses = [];
    for (const app of [first, second, first, second, first, second]) {
      statuses.push(
        (
          await app.inject({
            method: 'POST',
            url: '/v1/search',
            payload: { query: 'feedback' },
            headers: { authorization: `Bearer ${adminKey}` },
          })
        ).statusCode,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    console.log(`rate limit across replicas (Redis): limit 4, six requests alternating between two apps -> ${statuses.join(' ')}`);
  });

  it('counts malformed requests per key, and turns a key refused too often away before its body is read', async () => {
    const app = await appWith({ CAIRN_ADMIN_KEY: adminKey, RATE_LIMIT_MAX: '5' });
    const admin = { authorization: `Bearer ${adminKey}` };
    // A second key, stored for this test only (the other tests here run open, with no key stored).
    const { record, key: other } = await runtime.store.apiKeys.create({ name: 'other', scopes: ['ask'] });
    onTestFinished(async () => void (await runtime.store.database.query('delete from api_keys where id = $1', [record.id])));
    const badJson = () =>
      app.inject({ method: 'POST', url: '/v1/search', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"query":' });
    const statuses = [
      (await badJson()).statusCode,
      (await app.inject({ method: 'POST', url: '/v1/search', payload: { query: 7 }, headers: admin })).statusCode,
      // Not malformed input: a wrong key, an unknown path. Not counted.
      (
        await app.inject({
          method: 'POST',
          url: '/v1/search',
          payload: { query: 'feedback' },
          headers: { authorization: 'Bearer wrong-key' },
        })
      ).statusCode,
      (await app.inject({ method: 'GET', url: '/v1/no-such-route', headers: admin })).statusCode,
      (await badJson()).statusCode,
      (await app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'x'.repeat(300_000) }, headers: admin })).statusCode,
      (await badJson()).statusCode,
    ];
    expect(statuses).toEqual([400, 400, 401, 404, 400, 413, 400]);
    const turnedAway = await app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback' }, headers: admin });
    expect(turnedAway.statusCode).toBe(429);
    expect(turnedAway.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('malformed requests') });
    expect(Number(turnedAway.headers['retry-after'])).toBeGreaterThan(0);
    // Another key from the same address is not held to this key's refusals; the probes are never held.
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/v1/search',
      payload: { query: 'feedback' },
      headers: { authorization: `Bearer ${other}` },
    });
    expect(elsewhere.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // A 401 carries the security headers (the security plugin runs before authentication).
    const unauthorized = await app.inject({ method: 'GET', url: '/v1/sources' });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers['content-security-policy']).toBeDefined();
  });

  it('serves requests, uncounted, while the Redis that holds the counts stops answering', async () => {
    const relay = await silenceableRelay(testRedisUrl());
    try {
      const app = await appWith({
        RATE_LIMIT_MAX: '100',
        REDIS_URL: relay.url,
        REQUEST_TIMEOUT_MS: '5000',
        CAIRN_QUEUE_PREFIX: `rl-silent-${process.pid}-${Date.now()}`,
      });
      const search = () => app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback' } });
      const counted = await search();
      expect(counted.statusCode).toBe(200);
      expect(counted.headers['x-ratelimit-remaining']).toBe('99');
      relay.silence();
      const started = performance.now();
      const served = await search();
      const elapsed = performance.now() - started;
      expect(served.statusCode).toBe(200);
      expect(served.json().results.length).toBeGreaterThan(0);
      // Not counted: the limiter skipped the count it could not make.
      expect(served.headers['x-ratelimit-remaining']).not.toBe('98');
      // Well within the request's 5 s limit: the count gave up after its command timeout.
      expect(elapsed).toBeLessThan(3000);
      console.log(`rate limit with a silent Redis: served 200, uncounted, in ${Math.round(elapsed)} ms`);
    } finally {
      await relay.close();
    }
  });

  it('stops a request at its time limit with 408 and cancels the work under it', async () => {
    let aborted = 0;
    const slow = slowEmbedder(
      runtime.embedder,
      () => true,
      () => (aborted += 1),
    );
    const app = await appWith({ REQUEST_TIMEOUT_MS: '1000' }, { embedder: slow });
    const started = performance.now();
    const response = await app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback' } });
    expect(response.statusCode).toBe(408);
    expect(response.json().error.code).toBe('request_timeout');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(4000);
    expect(aborted).toBe(1);
    console.log(
      `request timeout: REQUEST_TIMEOUT_MS=1000, a 5 s embedder call -> 408 request_timeout after ${Math.round(elapsed)} ms, embedder aborted ${aborted}×`,
    );
  });

  it('caps the queued ingestion work', async () => {
    const app = await appWith({ INGEST_MAX_QUEUED_RUNS: '2' });
    const source = (await runtime.store.sources.list()).find((candidate) => candidate.kind === 'web')!;
    await runtime.store.runs.create(source.id, 'api');
    await runtime.store.runs.create(source.id, 'api');
    const refused = await app.inject({ method: 'POST', url: '/v1/ingest/runs', payload: { sourceId: source.id } });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('ingest_queue_full');
    await runtime.store.database.query(`update ingest_runs set status = 'cancelled' where status = 'queued'`);
  });

  it('sends security headers with a CSP, and keeps CORS closed unless origins are named', async () => {
    const closed = await appWith({});
    const response = await closed.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();

    const opened = await appWith({ CORS_ORIGINS: 'https://tools.example.com', CAIRN_ADMIN_KEY: adminKey });
    const preflight = await opened.inject({
      method: 'OPTIONS',
      url: '/v1/search',
      headers: {
        origin: 'https://tools.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://tools.example.com');
    const other = await opened.inject({
      method: 'OPTIONS',
      url: '/v1/search',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(() => loadConfig({ CORS_ORIGINS: 'tools.example.com' })).toThrowError(/CORS_ORIGINS/);
  });

  it('exposes request, retrieval, answer and ingestion figures at /metrics', async () => {
    const app = await appWith({});
    await app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback' } });
    await app.inject({ method: 'POST', url: '/v1/ask', payload: { question: 'How do I give feedback?' } });
    // Answers through the OpenAI-compatible route count too.
    await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      payload: { messages: [{ role: 'user', content: 'How do I give feedback?' }] },
    });
    await app.inject('/no/such/path');
    const metrics = await app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    const text = metrics.body;
    expect(text).toMatch(/cairn_http_requests_total\{method="POST",route="\/v1\/search",status="200"\} 1/);
    expect(text).toMatch(/cairn_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(/cairn_retrieval_duration_seconds_count\{route="\/v1\/search"\} 1/);
    expect(text).toMatch(/cairn_answers_total\{mode="extractive",outcome="answered"\} 2/);
    expect(text).toMatch(/cairn_retrieval_duration_seconds_count\{route="\/v1\/chat\/completions"\} 1/);
    expect(text).toMatch(/cairn_ingest_runs\{status="succeeded"\} [1-9]/);
    expect(text).toMatch(/cairn_index_size\{kind="chunks"\} [1-9]\d*/);
    expect(text).toMatch(/cairn_process_resident_memory_bytes \d+/);
  });

  it('serves /metrics while the database is away, saying so in cairn_database_up, where the scrape failed with 503', async () => {
    const app = await appWith({});
    const database = runtime.store.database;
    const query = database.query.bind(database);
    expect((await app.inject('/metrics')).body).toMatch(/^cairn_database_up 1$/m);
    database.query = (async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    }) as typeof database.query;
    try {
      const metrics = await app.inject('/metrics');
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toMatch(/^cairn_database_up 0$/m);
      expect(metrics.body).toMatch(/cairn_process_resident_memory_bytes \d+/);
      expect(metrics.body).not.toMatch(/cairn_index_size\{/);
    } finally {
      database.query = query;
    }
  });

  it('counts a streamed answer at /metrics, and a client that hung up as 499', async () => {
    const slow = slowEmbedder(runtime.embedder, (text) => text.includes('slowly'));
    const app = await appWith({}, { embedder: slow });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const streamed = await fetch(`${url}/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: 'How do I give feedback?' }),
    });
    expect(await streamed.text()).toMatch(/^event: done$/m);
    const hangUp = new AbortController();
    const abandoned = fetch(`${url}/v1/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'feedback, slowly' }),
      signal: hangUp.signal,
    }).catch(() => 'aborted');
    setTimeout(() => hangUp.abort(), 300);
    expect(await abandoned).toBe('aborted');
    let text = '';
    for (let attempt = 0; attempt < 50 && !/status="499"/.test(text); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = (await app.inject('/metrics')).body;
    }
    expect(text).toMatch(/cairn_http_requests_total\{method="POST",route="\/v1\/ask",status="200"\} 1/);
    expect(text).toMatch(/cairn_http_requests_total\{method="POST",route="\/v1\/search",status="499"\} 1/);
  });
});

describe('API keys never lock the owner out of the admin routes (PGlite)', () => {
  let runtime: Runtime;
  let app: FastifyInstance;
  const logs = logCapture();

  beforeAll(async () => {
    runtime = await openRuntime({ ...loadConfig({}), dataDir: '' }, { answers: true });
    app = await buildApp(runtime, { logger: logs.logger });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, key?: string, payload?: object) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('refuses a first key without the admin scope, and the last admin key while other keys stay', async () => {
    // Open mode: an ask-only first key would require keys with no admin key to reach /v1/keys.
    const askFirst = await call('POST', '/v1/keys', undefined, { name: 'bot', scopes: ['ask'] });
    expect(askFirst.statusCode).toBe(409);
    expect(askFirst.json().error).toMatchObject({ code: 'no_admin_key', message: expect.stringContaining('admin scope') });
    expect(await runtime.store.apiKeys.countActive()).toBe(0);

    const owner = (await call('POST', '/v1/keys', undefined, { name: 'owner', scopes: ['admin'] })).json();
    const bot = await call('POST', '/v1/keys', owner.key, { name: 'bot', scopes: ['ask', 'ask'] });
    expect(bot.statusCode).toBe(201);
    expect(bot.json().scopes).toEqual(['ask']);
    // The owner's key is the only admin key while the bot's stays: refused, and still works.
    const last = await call('DELETE', `/v1/keys/${owner.id}`, owner.key);
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('no_admin_key');
    expect((await call('GET', '/v1/keys', owner.key)).statusCode).toBe(200);
    // Another admin key first, then the old one goes.
    const heir = (await call('POST', '/v1/keys', owner.key, { name: 'heir', scopes: ['admin'] })).json();
    expect((await call('DELETE', `/v1/keys/${owner.id}`, heir.key)).statusCode).toBe(200);
    expect((await call('GET', '/v1/keys', owner.key)).statusCode).toBe(401);
    // The last key of all may go: the API is open again on loopback, and the log says so.
    expect((await call('DELETE', `/v1/keys/${bot.json().id}`, heir.key)).statusCode).toBe(200);
    expect((await call('DELETE', `/v1/keys/${heir.id}`, heir.key)).statusCode).toBe(200);
    expect(await runtime.store.apiKeys.countActive()).toBe(0);
    expect(logs.text()).toMatch(/last API key was revoked/);
    // Unknown ids stay 404.
    expect((await call('DELETE', '/v1/keys/6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11')).json().error.code).toBe('key_not_found');
  });
});
