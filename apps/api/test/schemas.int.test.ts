import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp, compileAllSchemas } from '../src/index.js';

// Route schemas are compiled at their first request, not at start (app.ts): this compiles
// every validator and serializer of every route, so a schema that cannot compile fails here.
describe('the route schemas', () => {
  let app: FastifyInstance;
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await openRuntime({ ...loadConfig({ CAIRN_STARTER_CORPUS: 'off' }), dataDir: '' }, { answers: true });
    app = await buildApp(runtime);
    await app.ready();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
  });

  it('all compile, and a request validates as before once they have', async () => {
    const routes = app
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .filter((line) => line.includes('/')).length;
    const compiled = compileAllSchemas(app);
    // At least a validator or serializer a route: every documented route has a response schema.
    expect(compiled).toBeGreaterThan(routes);
    const bad = await app.inject({ method: 'POST', url: '/v1/ask', payload: { question: 42 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('question') } });
    const good = await app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback', k: 1 } });
    expect(good.statusCode).toBe(200);
  });
});
