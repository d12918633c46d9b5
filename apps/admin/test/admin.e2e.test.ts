import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '@cairn/testing';
import { collectPageErrors, expectAttribute, expectFocused, expectText, launchChromium, screenshot } from './browser.js';
import { startApi, type RunningApi } from './server.js';

/**
 * The admin UI in headless Chromium against the real API on the embedded defaults
 * (PGlite, in-process runs, local embedder, extractive answers) and a fixture site on
 * loopback. The tests run in order: the source added first is asked about later.
 */
describe('admin UI in Chromium, on the embedded defaults', () => {
  let api: RunningApi;
  let site: FixtureSite;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [api, site, browser] = await Promise.all([startApi(), startFixtureSite(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await site?.close();
  });

  beforeEach(() => {
    errors.length = 0;
  });

  const open = (path: string) => page.goto(`${api.url}/admin${path}`);

  it('adds the fixture site as a source, starts its ingestion and watches the run finish', async () => {
    await open('/sources');
    await page.getByRole('row', { name: /starter-notes/ }).waitFor();
    await page.getByRole('button', { name: 'Add source' }).click();
    const form = page.getByRole('form', { name: 'Add a source' });
    await form.getByLabel('Name').fill('fixture');
    await form.getByLabel('Base URL').fill(`${site.url}/`);
    await form.getByLabel('Crawl delay (ms)').fill('0');
    await form.getByRole('button', { name: 'Add source' }).click();
    const row = page.getByRole('row', { name: /fixture/ });
    await row.waitFor();
    await row.getByText('no runs yet').waitFor();
    await screenshot(page, 'sources');

    await row.getByRole('button', { name: 'Re-ingest fixture' }).click();
    await page.waitForURL(/\/admin\/runs\/[0-9a-f-]{36}$/);
    const heading = page.getByRole('heading', { name: /Run of fixture/ });
    await heading.waitFor();
    // Live progress: the page polls until the run is done.
    await expect.poll(async () => heading.textContent(), { timeout: 60_000, interval: 250 }).toContain('succeeded');
    const fetched = Number(await page.locator('[data-count="fetched"]').textContent());
    expect(fetched).toBeGreaterThanOrEqual(10);
    const changed = page.locator('table.ledger tbody tr[data-outcome="changed"]');
    expect(await changed.count()).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'run');

    await page.getByRole('link', { name: '← All runs' }).click();
    await page.getByRole('heading', { name: 'Ingestion runs' }).waitFor();
    await expectText(page.locator('tbody tr').first(), 'fixture');
    await expectText(page.locator('tbody tr').first(), 'succeeded');
    await screenshot(page, 'runs');

    await open('/sources');
    const ingested = page.getByRole('row', { name: /fixture/ });
    await ingested.getByRole('link', { name: 'Last run of fixture: succeeded' }).waitFor();
    expect(Number(await ingested.locator('td').nth(1).textContent())).toBeGreaterThanOrEqual(10);
    expect(errors).toEqual([]);
  });

  it('asks a question, sees the cited answer, and opens a citation at its section', async () => {
    await open('/');
    await page.getByLabel('Your question').fill('How do I run incident reviews that people want to attend?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const turn = page.getByRole('article', { name: /Answer to: How do I run incident reviews/ });
    const firstMarker = turn.getByRole('link', { name: /^Citation \d+$/ }).first();
    await firstMarker.waitFor({ timeout: 30_000 });
    await expectAttribute(turn.locator('.answer'), 'aria-busy', 'false');

    // The citation of a crawled page links its section (url#anchor) and says when it was crawled.
    const markers = turn.getByRole('link', { name: /^Citation \d+$/ });
    let opened = false;
    for (let index = 0; index < (await markers.count()) && !opened; index += 1) {
      await markers.nth(index).click();
      const selected = page.locator('.citations-panel li[aria-current="true"]');
      await expectFocused(selected);
      const href = await selected.locator('a.citation-title').getAttribute('href');
      if (href?.startsWith(site.url) && href.includes('#')) {
        opened = true;
        expect((await selected.locator('.citation-quote').textContent())!.length).toBeGreaterThan(10);
        await expectText(selected, 'Last crawled');
        expect(await selected.textContent()).not.toContain('not crawled');
        await expectAttribute(selected.locator('a.citation-title'), 'target', '_blank');
      }
    }
    expect(opened, 'some citation links a fixture page section').toBe(true);

    await turn.getByText(/Retrieval details/).click();
    const details = turn.getByRole('table', { name: 'Every passage retrieval returned, in rank order' });
    expect(await details.locator('tbody tr').count()).toBeGreaterThan(1);
    await screenshot(page, 'ask');
    expect(errors).toEqual([]);
  });

  it('rates an answer and finds it in feedback review', async () => {
    await open('/');
    const question = 'What does a staff engineer actually do all day?';
    await page.getByLabel('Your question').fill(question);
    await page.getByLabel('Your question').press('Control+Enter');
    const turn = page.getByRole('article', { name: `Answer to: ${question}` });
    await turn.getByRole('button', { name: /Not helpful/ }).click();
    await turn.getByLabel('Comment (optional)').fill('Cites the right post but misses the archetypes.');
    await turn.getByRole('button', { name: 'Send rating' }).click();
    await turn.getByText('Thanks: your rating is recorded.').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feedback' }).click();
    const item = page.getByRole('article', { name: `Rated not helpful: ${question}` });
    await item.waitFor();
    await expectText(item, 'Cites the right post but misses the archetypes.');
    await item.getByText(/Answer and \d+ citations/).click();
    await item.locator('.citations li').first().waitFor();
    await page.getByLabel('Show').selectOption('1');
    await page.getByText('No rated answers yet: rate one on the Ask page.').waitFor();
    await page.getByLabel('Show').selectOption('-1');
    await item.waitFor();
    await screenshot(page, 'feedback');
    expect(errors).toEqual([]);
  });

  it('shows the rank of each stage side by side in the search inspector, with a legend', async () => {
    await open('/search');
    await page.getByLabel('Query').fill('planning large migrations');
    await page.getByLabel('Source').selectOption('fixture');
    await page.getByRole('button', { name: 'Search' }).click();
    const table = page.getByRole('table', { name: 'Results for “planning large migrations”' });
    await table.waitFor();
    const header = await table.locator('thead th').allTextContents();
    expect(header).toEqual(['Rank', 'Dense', 'Keyword', 'Page', 'Fused', 'Reranked', 'Score', 'Passage']);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(1);
    const first = await rows.first().locator('td').allTextContents();
    expect(first[0]).toBe('1');
    expect(first[1] !== '—' || first[2] !== '—').toBe(true);
    // Hybrid search on the defaults: every result has its page's, fused and reranked rank (the feature reranker).
    for (const stage of ['page', 'fused', 'reranked']) {
      const cells = await rows.locator(`td[data-stage="${stage}"]`).allTextContents();
      expect(cells.length, stage).toBe(await rows.count());
      expect(
        cells.every((cell) => /^\d+$/.test(cell)),
        `${stage}: ${cells.join(' ')}`,
      ).toBe(true);
    }
    // The results come in the reranker's order.
    const reranked = (await rows.locator('td[data-stage="reranked"]').allTextContents()).map(Number);
    expect(reranked[0]).toBe(1);
    expect([...reranked].sort((a, b) => a - b)).toEqual(reranked);
    expect(first[7]).toContain('(fixture)');
    await expectText(page.locator('p.muted').filter({ hasText: 'passages in' }), /reranked by features-v1 in \d/);
    const legend = page.locator('dl.ranks-legend');
    await expectText(legend, /Rerankedrank after the reranker, among the fused top 50 \(features-v1\)/);
    const terms = await legend.locator('dt').allTextContents();
    expect(terms).toEqual(['Rank', 'Dense', 'Keyword', 'Page', 'Fused', 'Reranked', '—', 'Score']);
    await screenshot(page, 'search');
    expect(errors).toEqual([]);
  });

  it('is usable from the keyboard and in a narrow window', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await open('/');
    // React renders after the load event goto waits for: a Tab before that focuses nothing.
    const skipLink = page.getByRole('link', { name: 'Skip to content' });
    await skipLink.waitFor({ state: 'attached' });
    await page.keyboard.press('Tab');
    await expectFocused(skipLink);
    // Through the brand to the navigation, then to Sources, by keyboard alone.
    let guard = 0;
    while (
      !(await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Sources' })
        .evaluate((link) => link === document.activeElement)) &&
      guard++ < 10
    ) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sources' }).waitFor();
    expect(page.url()).toBe(`${api.url}/admin/sources`);
    // Nothing but the wide table scrolls sideways at 400 px.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'sources-narrow');
    await open('/');
    await screenshot(page, 'ask-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });
});
