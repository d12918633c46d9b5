import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectText, launchChromium, screenshot } from './browser.js';
import { startApi, type RunningApi } from './server.js';

const adminKey = 'e2e-admin-key-0123456789abcdef';

/** With keys enabled, the UI asks for one, keeps it for the session only, and sends it. */
describe('admin UI in Chromium, with API keys', () => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [api, browser] = await Promise.all([startApi({ CAIRN_ADMIN_KEY: adminKey }), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('asks for the admin key, then works with it, under the API CSP', async () => {
    const headers: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/')) headers.push(request.headers().authorization);
    });
    await page.goto(`${api.url}/admin/sources`);
    const csp = (await page.request.get(`${api.url}/admin/`)).headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    const dialog = page.getByRole('dialog', { name: 'This Cairn needs an admin key' });
    await dialog.waitFor();
    await screenshot(page, 'key-prompt');
    await dialog.getByLabel('Admin key').fill('wrong-key-0123456789');
    await dialog.getByRole('button', { name: 'Use this key' }).click();
    await expectText(page.getByRole('dialog'), 'unknown or revoked');
    await page.getByLabel('Admin key', { exact: true }).fill(adminKey);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('row', { name: /starter-notes/ }).waitFor();
    expect(headers.at(-1)).toBe(`Bearer ${adminKey}`);
    expect(await page.evaluate(() => [sessionStorage.getItem('cairn.adminKey'), localStorage.length])).toEqual([adminKey, 0]);

    // A new browser session (a new context) starts without it.
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(`${api.url}/admin/sources`);
    await other.getByRole('dialog', { name: 'This Cairn needs an admin key' }).waitFor();
    await fresh.close();
    // The 401s of the wrong key are expected console messages; nothing else is.
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
  });

  it("keeps an answer's permalink behind the key: it asks for one, then shows the answer", async () => {
    const question = 'How do I run a good one-on-one?';
    const response = await fetch(`${api.url}/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ question }),
    });
    const { messageId, answer } = (await response.json()) as { messageId: string; answer: string };
    const context = await browser.newContext();
    const fresh = await context.newPage();
    const freshErrors = collectPageErrors(fresh);
    await fresh.goto(`${api.url}/admin/answers/${messageId}`);
    const dialog = fresh.getByRole('dialog', { name: 'This Cairn needs an admin key' });
    await dialog.waitFor();
    expect(await fresh.locator('.markdown').count()).toBe(0);
    await dialog.getByLabel('Admin key').fill(adminKey);
    await dialog.getByRole('button', { name: 'Use this key' }).click();
    await fresh.getByRole('heading', { level: 1, name: `Answer to: ${question}` }).waitFor();
    expect((await fresh.locator('.markdown').textContent())!.length).toBeGreaterThan(answer.length / 2);
    await context.close();
    expect(freshErrors.filter((error) => !/status of 401/.test(error))).toEqual([]);
  });

  it('serves the API docs under their own CSP without errors', async () => {
    errors.length = 0;
    await page.goto(`${api.url}/docs/`);
    await page.locator('.swagger-ui .info').waitFor();
    await expectText(page.locator('.swagger-ui .info'), 'Cairn');
    expect(errors).toEqual([]);
  });
});
