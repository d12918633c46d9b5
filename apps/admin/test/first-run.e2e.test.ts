import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '@cairn/testing';
import { collectPageErrors, expectFocused, expectText, launchChromium, screenshot } from './browser.js';
import { startApi, type RunningApi } from './server.js';

/**
 * A Cairn with nothing in it yet (no starter notes): the empty Runs and Feedback pages say
 * what they are for and start the first of each, and the Sources page explains that the
 * web sources are configured but not crawled. The real sites are never crawled here (no
 * network): they are disabled before the one-button crawl, which then crawls the fixture site.
 */
describe('admin UI in Chromium, on a first run', () => {
  let api: RunningApi;
  let site: FixtureSite;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [api, site, browser] = await Promise.all([startApi({ CAIRN_STARTER_CORPUS: 'off' }), startFixtureSite(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await site?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as Record<string, unknown>;
  };

  it('explains the configured web sources with Crawl now and an estimate for each, and the empty Feedback page', async () => {
    await page.goto(`${api.url}/admin/sources`);
    const note = page.getByRole('region', { name: 'The web sources are configured, not crawled yet' });
    await expectText(note, 'The 5 sites below (infraeng, larahogan, lethain, staffeng, technical-coherence)');
    expect(await note.textContent()).not.toContain('starter notes');
    for (const [name, estimate] of [
      ['lethain', 'up to 2,000 pages'],
      ['staffeng', 'up to 500 pages'],
      ['technical-coherence', 'up to 20 pages'],
    ] as const) {
      const row = page.getByRole('row', { name: new RegExp(name) });
      await expectText(row.locator('.estimate'), estimate);
      await row.getByRole('button', { name: `Crawl ${name} now` }).waitFor();
    }
    await screenshot(page, 'sources-first-run');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feedback' }).click();
    await page.getByRole('heading', { name: 'No rated answers yet' }).waitFor();
    await expectText(page.locator('.empty-rich'), 'Helpful and Not helpful buttons');
    await screenshot(page, 'feedback-empty');
    await page.getByRole('link', { name: 'Ask a question' }).click();
    await page.getByLabel('Your question').waitFor();
    expect(page.url()).toBe(`${api.url}/admin/`);
    expect(errors).toEqual([]);
  });

  it('explains runs when there are none, and starts the first with one button', async () => {
    // Only the fixture site is enabled: the one button crawls every enabled source.
    for (const source of (await call('GET', '/v1/sources')).sources as { id: string }[]) {
      await call('PATCH', `/v1/sources/${source.id}`, { enabled: false });
    }
    await call('POST', '/v1/sources', { name: 'fixture', baseUrl: `${site.url}/`, crawlDelayMs: 0, maxPages: 40 });

    await page.goto(`${api.url}/admin/runs`);
    await page.getByRole('heading', { name: 'No ingestion runs yet' }).waitFor();
    await expectText(page.locator('.empty-rich'), '1 enabled source: up to 40 pages from fixture');
    const start = page.getByRole('button', { name: 'Crawl all enabled sources' });
    // By keyboard: the button is in the tab order, its focus visible.
    await start.focus();
    await expectFocused(start);
    expect(await start.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe('solid');
    await screenshot(page, 'runs-empty');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/runs\/[0-9a-f-]{36}$/);
    const heading = page.getByRole('heading', { name: /Run of all sources/ });
    await expect.poll(async () => heading.textContent(), { timeout: 60_000, interval: 250 }).toContain('succeeded');
    expect(Number(await page.locator('[data-count="fetched"]').textContent())).toBeGreaterThanOrEqual(10);

    await page.getByRole('link', { name: '← All runs' }).click();
    const timeline = page.getByRole('img', { name: 'Timeline of the last run: 1 succeeded' });
    await timeline.waitFor();
    await expectText(timeline.locator('.lane-name'), 'all sources');
    // Back on Sources, the crawl left the fixture's pages fresh, and the first-run note has done its job.
    await page.goto(`${api.url}/admin/sources`);
    const fixture = page.getByRole('row', { name: /fixture/ });
    await expect
      .poll(async () => fixture.getByRole('img', { name: /^Freshness of fixture/ }).getAttribute('aria-label'))
      .toMatch(/^Freshness of fixture: \d+ pages: \d+ under a day$/);
    expect(await page.getByRole('region', { name: /configured, not crawled yet/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
