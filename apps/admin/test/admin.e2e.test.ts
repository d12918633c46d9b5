import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '@cairn/testing';
import {
  collectCspViolations,
  collectPageErrors,
  expectAttribute,
  expectFocused,
  expectText,
  launchChromium,
  screenshot,
} from './browser.js';
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
  let violations: string[];

  beforeAll(async () => {
    [api, site, browser] = await Promise.all([startApi(), startFixtureSite(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectPageErrors(page);
    violations = await collectCspViolations(page);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await site?.close();
  });

  beforeEach(() => {
    errors.length = 0;
    violations.length = 0;
  });

  const open = (path: string) => page.goto(`${api.url}/admin${path}`);

  it('adds the fixture site as a source, starts its ingestion and watches the run finish', async () => {
    await open('/sources');
    await page.getByRole('row', { name: /starter-notes/ }).waitFor();
    // A first run: the web sources are configured, not crawled, and each says what a crawl would fetch.
    const firstRun = page.getByRole('region', { name: 'The web sources are configured, not crawled yet' });
    await expectText(firstRun, 'Cairn answers from its 35 starter notes for now.');
    const lethain = page.getByRole('row', { name: /lethain/ });
    await expectText(lethain.locator('.estimate'), 'up to 2,000 pages');
    expect(await lethain.getByRole('button', { name: 'Crawl lethain now' }).getAttribute('aria-describedby')).toMatch(/^estimate-/);
    await expectText(page.getByRole('row', { name: /starter-notes/ }).locator('.estimate'), '35 notes');
    // The notes were added just now: their freshness bar is all in the youngest bucket.
    expect(await page.getByRole('img', { name: /^Freshness of starter-notes/ }).getAttribute('aria-label')).toBe(
      'Freshness of starter-notes: 35 pages: 35 under a day',
    );
    await page.getByRole('button', { name: 'Add source' }).click();
    const form = page.getByRole('form', { name: 'Add a source' });
    await form.getByLabel('Name').fill('fixture');
    await form.getByLabel('Base URL').fill(`${site.url}/`);
    await form.getByLabel('Crawl delay (ms)').fill('0');
    await form.getByRole('button', { name: 'Add source' }).click();
    const row = page.getByRole('row', { name: /fixture/ });
    await row.waitFor();
    await row.getByText('not crawled yet').waitFor();
    await expectText(row.locator('.estimate'), 'up to 1,000 pages');
    await screenshot(page, 'sources');

    await row.getByRole('button', { name: 'Crawl fixture now' }).click();
    await page.waitForURL(/\/admin\/runs\/[0-9a-f-]{36}$/);
    const heading = page.getByRole('heading', { name: /Run of fixture/ });
    await heading.waitFor();
    // Live progress: the page polls until the run is done.
    await expect.poll(async () => heading.textContent(), { timeout: 60_000, interval: 250 }).toContain('succeeded');
    const fetched = Number(await page.locator('[data-count="fetched"]').textContent());
    expect(fetched).toBeGreaterThanOrEqual(10);
    const changed = page.locator('table.ledger tbody tr[data-outcome="changed"]');
    expect(await changed.count()).toBeGreaterThanOrEqual(10);
    // The progress bar is full, with the pages per second and the time the run took.
    const bar = page.getByRole('progressbar', { name: /^Progress: \d+ of \d+ pages$/ });
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    await expectText(page.locator('.run-summary .progress'), /pages\/s · took /);
    await screenshot(page, 'run');

    await page.getByRole('link', { name: '← All runs' }).click();
    await page.getByRole('heading', { name: 'Ingestion runs' }).waitFor();
    await expectText(page.locator('tbody tr').first(), 'fixture');
    await expectText(page.locator('tbody tr').first(), 'succeeded');
    await expectText(page.locator('tbody tr').first(), /\d pages\/s/);
    // The timeline has a bar per run, the fixture's last and green; hovering it shows the run's numbers.
    const timeline = page.getByRole('img', { name: /^Timeline of the last/ });
    const bars = timeline.locator('rect[data-status]');
    await bars.last().waitFor();
    expect(await bars.count()).toBeGreaterThanOrEqual(1);
    expect(await bars.last().getAttribute('data-status')).toBe('succeeded');
    expect((await timeline.boundingBox())!.width).toBeGreaterThan(400);
    await bars.last().hover();
    await expectText(page.locator('.runs-timeline .chart-tooltip'), /^fixture: succeeded, \d+ pages/);
    await screenshot(page, 'runs');

    await open('/sources');
    const ingested = page.getByRole('row', { name: /fixture/ });
    await ingested.getByRole('link', { name: 'Last run of fixture: succeeded' }).waitFor();
    const documents = Number(await ingested.locator('td').nth(1).textContent());
    expect(documents).toBeGreaterThanOrEqual(10);
    // Its freshness: every page crawled in the last day; the button now re-ingests.
    expect(await ingested.getByRole('img', { name: /^Freshness of fixture/ }).getAttribute('aria-label')).toBe(
      `Freshness of fixture: ${documents} pages: ${documents} under a day`,
    );
    await ingested.getByRole('button', { name: 'Re-ingest fixture' }).waitFor();
    // One web source crawled: the first-run note has done its job.
    expect(await page.getByRole('region', { name: /configured, not crawled yet/ }).count()).toBe(0);
    await page.getByText('Pages by age since the last crawl, as a table').click();
    const table = page.getByRole('table', { name: /Active pages by days since each was last crawled/ });
    expect(
      await table
        .getByRole('row', { name: /fixture/ })
        .locator('td')
        .first()
        .textContent(),
    ).toBe(String(documents));
    await screenshot(page, 'sources-crawled');
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('asks a question, sees the cited answer, and opens a citation at its section', async () => {
    await open('/');
    await expectText(page.locator('.ask-form .hint'), 'Enter sends · Shift+Enter adds a line');
    const box = page.getByLabel('Your question');
    const firstPlaceholder = await box.getAttribute('placeholder');
    // Shift+Enter adds a line; Enter sends.
    await box.fill('How do I run incident reviews');
    await box.press('Shift+Enter');
    await box.pressSequentially('that people want to attend?');
    expect(await box.inputValue()).toBe('How do I run incident reviews\nthat people want to attend?');
    expect(await page.getByRole('article').count()).toBe(0);
    await box.press('Enter');
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

    // Escape lets go of the citation and puts focus back on its [n].
    await markers.first().click();
    await expectFocused(page.locator('.citations-panel li[aria-current="true"]'));
    await page.keyboard.press('Escape');
    await expectFocused(markers.first());
    expect(await page.locator('.citations-panel li[aria-current="true"]').count()).toBe(0);

    await turn.getByText(/Retrieval details/).click();
    const details = turn.getByRole('table', { name: 'Every passage retrieval returned, in rank order' });
    expect(await details.locator('tbody tr').count()).toBeGreaterThan(1);

    // With the details open the page does not scroll as a whole: the conversation scrolls in
    // its column and the citations beside it, from the top, in their own.
    const layout = await page.evaluate(() => {
      const panel = document.querySelector<HTMLElement>('.citations-panel')!;
      const conversation = document.querySelector<HTMLElement>('.conversation')!;
      const turns = document.querySelector<HTMLElement>('.turns')!;
      return {
        pageOverflow: document.documentElement.scrollHeight - window.innerHeight,
        panelTop: panel.getBoundingClientRect().top,
        panelBottom: panel.getBoundingClientRect().bottom,
        conversationTop: conversation.getBoundingClientRect().top,
        panelOverflow: getComputedStyle(panel).overflowY,
        turnsOverflow: getComputedStyle(turns).overflowY,
        turnsScrollable: turns.scrollHeight > turns.clientHeight,
      };
    });
    expect(layout.pageOverflow).toBeLessThanOrEqual(0);
    expect(Math.abs(layout.panelTop - layout.conversationTop)).toBeLessThan(2);
    expect(layout.panelBottom).toBeLessThanOrEqual(900);
    expect(layout).toMatchObject({ panelOverflow: 'auto', turnsOverflow: 'auto', turnsScrollable: true });
    // The last citation, selected, is scrolled into the panel whole, title and all.
    await markers.last().click();
    const last = page.locator('.citations-panel li[aria-current="true"]');
    await expectFocused(last);
    await expect
      .poll(async () => {
        const [panelBox, titleBox, cardBox] = await Promise.all([
          page.locator('.citations-panel').boundingBox(),
          last.locator('.citation-title').boundingBox(),
          last.boundingBox(),
        ]);
        return titleBox!.y >= panelBox!.y && cardBox!.y + cardBox!.height <= panelBox!.y + panelBox!.height + 1;
      })
      .toBe(true);
    // Escape closes the details and puts focus back on their summary.
    const summary = turn.locator('details.retrieval-details summary');
    await summary.focus();
    await page.keyboard.press('Escape');
    expect(await turn.locator('details.retrieval-details').evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    await expectFocused(summary);
    await turn.getByText(/Retrieval details/).click();
    await screenshot(page, 'ask');

    // The follow-up box has its own placeholder.
    const followUp = page.getByLabel('Follow up');
    expect(await followUp.getAttribute('placeholder')).not.toBe(firstPlaceholder);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('shares an answer: its permalink shows it read-only, and Copy as Markdown gives it with footnoted sources', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    await open('/');
    const question = 'How do I decide whether to become a staff engineer or a manager?';
    await page.getByLabel('Your question').fill(question);
    await page.getByLabel('Your question').press('Enter');
    const turn = page.getByRole('article', { name: `Answer to: ${question}` });
    await expectAttribute(turn.locator('.answer'), 'aria-busy', 'false');
    const answerText = (await turn.locator('.markdown').textContent())!;
    const citationCount = await page.locator('.citations-panel li').count();
    expect(citationCount).toBeGreaterThan(0);

    // Notes say when they were added; nothing says "unknown".
    const panelText = (await page.locator('.citations-panel').textContent())!;
    expect(panelText).not.toMatch(/unknown|not crawled/i);
    const notes = page.locator('.citations-panel li').filter({ has: page.locator('.badge', { hasText: 'note' }) });
    expect(await notes.count(), 'the starter notes answer this').toBeGreaterThan(0);
    for (let index = 0; index < (await notes.count()); index += 1) {
      await expectText(notes.nth(index).locator('dl'), /Added[A-Z][a-z]{2} \d{1,2}, \d{4}/);
      expect(await notes.nth(index).textContent()).not.toContain('Last crawled');
    }

    await turn.getByRole('button', { name: 'Copy as Markdown' }).click();
    await turn.getByText('Copied: the answer with its sources as footnotes.').waitFor();
    const markdown = await page.evaluate(() => navigator.clipboard.readText());
    expect(markdown.startsWith(`> **Question:** ${question}\n\n`)).toBe(true);
    expect(markdown).toMatch(/\[\^1\]/);
    expect(markdown).toMatch(/^\[\^1\]: \[[^\]]+\]\(https?:\/\/\S+\)/m);
    expect(markdown.match(/^\[\^\d+\]: /gm)).toHaveLength(citationCount);

    await turn.getByRole('link', { name: 'Permalink to this answer' }).click();
    await page.waitForURL(/\/admin\/answers\/[0-9a-f-]{36}$/);
    expect(markdown).toContain(page.url());
    await page.getByRole('heading', { level: 1, name: `Answer to: ${question}` }).waitFor();
    expect((await page.locator('.markdown').textContent())!.trim()).toBe(answerText.trim());
    expect(await page.locator('.citations-panel li').count()).toBe(citationCount);
    // Read-only: no rating, no question box.
    expect(await page.getByRole('button', { name: /Helpful/ }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    await page.getByRole('link', { name: 'Citation 1' }).first().click();
    await expectFocused(page.locator('.citations-panel li[aria-current="true"]'));
    await screenshot(page, 'answer-permalink');
    // Opened afresh (a link pasted elsewhere), it shows the same.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Answer to: ${question}` }).waitFor();
    await open('/answers/00000000-0000-4000-8000-000000000000');
    await expectText(page.getByRole('alert'), 'message_not_found');
    expect(errors.filter((error) => !/status of 404/.test(error))).toEqual([]);
  });

  it('rates an answer and finds it in feedback review', async () => {
    await open('/');
    const question = 'What does a staff engineer actually do all day?';
    await page.getByLabel('Your question').fill(question);
    await page.getByLabel('Your question').press('Enter');
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
    await page.getByText('No answers rated helpful yet.').waitFor();
    await page.getByLabel('Show').selectOption('-1');
    await item.waitFor();
    await screenshot(page, 'feedback');
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
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
    // The same ranks as a chart: a line per result through the stages, the first result on top at the reranker.
    const chart = page.getByRole('img', { name: /^Ranks of the \d+ results at each stage/ });
    const points = (result: number) => chart.locator(`circle.series-dot.series-${result}`);
    await points(0).first().waitFor();
    expect(await chart.locator('.recharts-line').count()).toBe(await rows.count());
    expect(await points(0).count()).toBeGreaterThanOrEqual(4);
    const lastPointY = async (result: number) => Number(await points(result).last().getAttribute('cy'));
    expect(await lastPointY(0)).toBeLessThan(await lastPointY(1));
    expect((await chart.boundingBox())!.height).toBeGreaterThan(120);
    // From the keyboard: the chart takes focus, and the arrow keys list the ranks at each stage.
    await chart.focus();
    await expectFocused(chart);
    await page.keyboard.press('ArrowRight');
    const tooltip = page.locator('.stage-ranks-chart .chart-tooltip');
    await expectText(tooltip.locator('strong'), 'Keyword');
    expect(await tooltip.locator('li').count()).toBeGreaterThan(0);
    await screenshot(page, 'search');
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
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
    // Focus is visible: the focused link has an outline.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
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
    expect(violations).toEqual([]);
  });

  it('would report a CSP violation: an inline <style> element is blocked and seen (the checks above can fail)', async () => {
    await open('/sources');
    await page.getByRole('heading', { name: 'Sources' }).waitFor();
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { outline: 1px solid red; }';
      document.head.append(style);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations[0]).toMatch(/^style-src-elem blocked inline/);
    expect(await page.evaluate(() => getComputedStyle(document.body).outlineStyle)).toBe('none');
  });
});
