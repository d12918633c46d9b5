import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseEnvironment,
  request,
  seconds,
  sleep,
  startPrivatePostgres,
  startServe,
  type CairnProcess,
  type PrivatePostgres,
} from './services.js';

/**
 * Postgres stopped under a running API (the real server, on a private cluster): /readyz
 * answers 503, data routes answer 503 database_unavailable, the process stays up, and it
 * is ready again within 5 s of the server's return.
 */
describe('fault: PostgreSQL stops under the API', () => {
  let postgres: PrivatePostgres;
  let api: CairnProcess | undefined;
  let url: string;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    const databaseUrl = await postgres.createDatabase('cairn');
    ({ process: api, url } = await startServe(baseEnvironment({ DATABASE_URL: databaseUrl })));
  }, 120_000);

  afterAll(async () => {
    await api?.kill();
    await postgres?.destroy();
  });

  it('answers 503 with a code while it is down, stays up, and is ready within 5 s of its return', async () => {
    expect((await request(`${url}/readyz`)).status).toBe(200);
    expect((await request(`${url}/v1/sources`)).status).toBe(200);
    // Idle pooled connections exist when the server goes away.
    expect((await request(`${url}/v1/search`, { body: { query: 'staff engineer' } })).status).toBe(200);

    await postgres.stop();
    const downAt = Date.now();

    const readyz = await request(`${url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(readyz.body.error.code).toBe('not_ready');
    const sources = await request(`${url}/v1/sources`);
    expect(sources).toMatchObject({ status: 503, body: { error: { code: 'database_unavailable' } } });
    const search = await request(`${url}/v1/search`, { body: { query: 'staff engineer' } });
    expect(search).toMatchObject({ status: 503, body: { error: { code: 'database_unavailable' } } });
    const ask = await request(`${url}/v1/ask`, { body: { question: 'How do I run a good one-on-one?' } });
    expect(ask).toMatchObject({ status: 503, body: { error: { code: 'database_unavailable' } } });
    // No internals in the answer.
    expect(JSON.stringify(sources.body)).not.toMatch(/ECONNREFUSED|select|at .*\.ts/);
    // Down for five seconds, asked by many clients at once: always a prompt 503, never a crash.
    let slowest = 0;
    while (Date.now() - downAt < 5_000) {
      const round = await Promise.all(
        Array.from({ length: 10 }, async (_, index) => {
          const started = Date.now();
          const response =
            index % 2 === 0 ? await request(`${url}/v1/sources`) : await request(`${url}/v1/search`, { body: { query: 'staff engineer' } });
          slowest = Math.max(slowest, Date.now() - started);
          return response;
        }),
      );
      for (const response of round) expect(response).toMatchObject({ status: 503, body: { error: { code: 'database_unavailable' } } });
      await sleep(200);
    }
    expect((await request(`${url}/healthz`)).status).toBe(200);
    expect(api!.alive()).toBe(true);
    const downFor = Date.now() - downAt;

    const startIssued = Date.now();
    await postgres.start();
    const back = Date.now();
    let readyAt: number | undefined;
    while (Date.now() - back < 5_000) {
      const response = await request(`${url}/readyz`, { timeoutMs: 5_000 }).catch(() => undefined);
      if (response?.status === 200) {
        readyAt = Date.now();
        break;
      }
      await sleep(50);
    }
    expect(readyAt, `/readyz was not 200 within 5 s of the server's return:\n${api!.output().slice(-2000)}`).toBeDefined();
    expect((await request(`${url}/v1/sources`)).status).toBe(200);
    expect((await request(`${url}/v1/search`, { body: { query: 'staff engineer' } })).status).toBe(200);
    expect(api!.alive()).toBe(true);
    console.log(
      `postgres down: /readyz 503 not_ready and data routes 503 database_unavailable from the moment of the stop (down ${seconds(downFor)}, ` +
        `slowest 503 ${slowest} ms, process alive throughout); ` +
        `/readyz 200 ${seconds(readyAt! - back)} after the server accepted connections again (${seconds(readyAt! - startIssued)} after pg_ctl start)`,
    );
  }, 120_000);
});
