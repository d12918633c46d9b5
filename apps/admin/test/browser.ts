import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's chromium package (`apt-get install chromium`); CAIRN_CHROMIUM_PATH overrides it. */
export const chromiumPath = process.env.CAIRN_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the tests save a screenshot of each page (an artefact of the run). */
export const screenshotDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');

/** Headless Chromium; a missing browser fails the test with what to install, never skips it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's package (apt-get install chromium), or set CAIRN_CHROMIUM_PATH. .ci/run installs it.`,
    );
  }
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Console errors and uncaught exceptions of a page, to assert there are none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * The Content-Security-Policy violations a page reports (its `securitypolicyviolation`
 * events, listened for before any of its scripts run, on every document it loads), to
 * assert there are none: a style attribute in HTML or an injected <style> element is
 * blocked by `style-src 'self'` and reported here.
 */
export async function collectCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (violation: string) => violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (event) => {
        const report = (window as unknown as { reportCspViolation: (violation: string) => void }).reportCspViolation;
        report(
          `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sample}) at ${event.sourceFile}:${event.lineNumber}`,
        );
      },
      true,
    );
  });
  return violations;
}

/*
 * playwright-core has no test matchers: these wait (polling) for a condition, then
 * assert it with vitest, so a failure names what was expected.
 */
const poll = { timeout: 15_000, interval: 100 };

export async function expectText(locator: Locator, text: string | RegExp): Promise<void> {
  const check = expect.poll(async () => (await locator.textContent()) ?? '', poll);
  await (typeof text === 'string' ? check.toContain(text) : check.toMatch(text));
}

export async function expectAttribute(locator: Locator, name: string, value: string | null): Promise<void> {
  await expect.poll(async () => locator.getAttribute(name), poll).toBe(value);
}

export async function expectFocused(locator: Locator): Promise<void> {
  await expect.poll(async () => locator.evaluate((element) => element === document.activeElement), poll).toBe(true);
}
