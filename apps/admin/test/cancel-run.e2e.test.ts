import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '@cairn/testing';
import { collectPageErrors, expectFocused, expectText, launchChromium, screenshot } from './browser.js';
import { startApi, type RunningApi } from './server.js';

/**
 * Cancelling ingestion runs from the Runs page, in headless Chromium against the real API
 * on the embedded defaults (in-process runs), by keyboard and by mouse: a queued run and a
 * running one, each asked about before it is stopped.
 */
describe('cancelling runs in the admin UI', () => {
  let api: RunningApi;
  let site: FixtureSite;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [api, site, browser] = await Promise.all([
      startApi({ CAIRN_STARTER_CORPUS: 'off', INGEST_MAX_CRAWL_DELAY_MS: '0' }),
      // Slow pages, so that the crawl is still running when the test cancels it.
      startFixtureSite({ syntheticPages: 200, responseDelayMs: 100 }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await site?.close();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as Record<string, string>;
  };

  it('cancels a queued run from the keyboard and a running one with the mouse, each after a confirmation', async () => {
    const source = await post('/v1/sources', {
      name: 'slow',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      crawlDelayMs: 0,
    });
    const running = await post('/v1/ingest/runs', { sourceId: source.id });
    const queued = await post('/v1/ingest/runs', { sourceId: source.id });

    await page.goto(`${api.url}/admin/runs`);
    await page.getByRole('heading', { name: 'Ingestion runs' }).waitFor();
    // Newest first: the queued run, then the running one.
    const queuedRow = page.locator('tbody tr').first();
    await expectText(queuedRow, 'waiting to start');

    // Keyboard: Enter asks, Escape keeps the run (focus returns), Enter twice cancels it.
    const ask = queuedRow.getByRole('button', { name: 'Cancel the run of slow' });
    await ask.focus();
    await page.keyboard.press('Enter');
    const question = queuedRow.getByRole('group', { name: 'Cancel the run of slow?' });
    await expectFocused(question.getByRole('button', { name: 'Yes, cancel run' }));
    await page.keyboard.press('Escape');
    await expectFocused(ask);
    await page.keyboard.press('Enter');
    await expectFocused(question.getByRole('button', { name: 'Yes, cancel run' }));
    await page.keyboard.press('Enter');
    await expectText(queuedRow, 'cancelled');
    await screenshot(page, 'runs-cancelled');

    // Mouse, from the running run's own page: it stops at its next page and says why.
    await page.goto(`${api.url}/admin/runs/${running.runId}`);
    const heading = page.getByRole('heading', { name: /Run of slow/ });
    await expect.poll(async () => heading.textContent(), { timeout: 30_000, interval: 100 }).toContain('running');
    await page.getByRole('button', { name: 'Cancel the run of slow' }).click();
    await page.getByRole('button', { name: 'Yes, cancel run' }).click();
    await expect.poll(async () => heading.textContent(), { timeout: 15_000, interval: 100 }).toContain('cancelled');
    await expectText(page.getByRole('alert'), 'The run was cancelled:');
    expect(await page.getByRole('button', { name: 'Cancel the run of slow' }).count()).toBe(0);

    const record = async (id: string) => (await (await fetch(`${api.url}/v1/ingest/runs/${id}`)).json()) as Record<string, unknown>;
    expect(await record(queued.runId!)).toMatchObject({ status: 'cancelled', startedAt: null });
    const stopped = await record(running.runId!);
    expect(stopped).toMatchObject({ status: 'cancelled' });
    expect((stopped.counts as { fetched: number }).fetched).toBeLessThan(200);
    // Once finished, a run cannot be cancelled again.
    const again = await fetch(`${api.url}/v1/ingest/runs/${running.runId}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('run_finished');
    await screenshot(page, 'run-cancelled');
    expect(errors).toEqual([]);
  });
});
