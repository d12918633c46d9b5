import { afterAll, describe, expect, it } from 'vitest';
import { CairnError, loadConfig } from '@cairn/core';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

// The API's start (server.ts) builds the app while the runtime is still opening: buildApp
// takes the runtime's promise and the configuration, sets up what needs only the latter, and
// waits for the runtime before the parts that use it.
describe('buildApp with the runtime still opening', () => {
  const config = { ...loadConfig({ CAIRN_STARTER_CORPUS: 'off' }), dataDir: '' };
  const opened: Runtime[] = [];

  afterAll(async () => {
    for (const runtime of opened) await runtime.close();
  });

  it('sets up the configuration-only parts first, then serves with the runtime once it opens', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runtime = gate.then(async () => {
      const open = await openRuntime(config, { answers: true });
      opened.push(open);
      return open;
    });
    const building = buildApp(runtime, { config });
    let built = false;
    void building.then(() => (built = true));
    // Not done while the runtime is not there: it waits for it, not past it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(built).toBe(false);
    release();
    const app = await building;
    try {
      const search = await app.inject({ method: 'POST', url: '/v1/search', payload: { query: 'feedback', k: 1 } });
      expect(search.statusCode).toBe(200);
      const openapi = await app.inject({ method: 'GET', url: '/openapi.json' });
      expect(Object.keys(openapi.json().paths)).toContain('/v1/ask');
    } finally {
      await app.close();
    }
  }, 60_000);

  it('fails with the runtime\u2019s error when the runtime cannot open', async () => {
    const failure = new CairnError('database_unavailable', 'the database could not be opened');
    await expect(buildApp(Promise.reject(failure), { config })).rejects.toBe(failure);
  });
});
