import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@cairn/testing';
import { collectPageErrors, expectAttribute, expectText, launchChromium, screenshot } from './browser.js';
import { startApi, type RunningApi } from './server.js';

/**
 * Answers from a chat model stream into the page word by word. The model is the
 * OpenAI-compatible test server on loopback (the one stand-in for a paid service), sending
 * a word every 150 ms so that the stream can be watched.
 */
describe('admin UI in Chromium, with a chat model streaming', () => {
  let model: FakeOpenAIServer;
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    model = await startFakeOpenAIServer();
    [api, browser] = await Promise.all([
      startApi({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: model.url, CAIRN_ANSWER_MODE: 'llm' }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await model?.close();
  });

  it('shows the answer as it is written, then the verified answer with its citations', async () => {
    model.setChatDelay(150);
    await page.goto(`${api.url}/admin/`);
    await page.getByLabel('Your question').fill('What does a staff engineer in the solver archetype do?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const turn = page.getByRole('article', { name: /Answer to: What does a staff engineer/ });
    const answer = turn.locator('.answer');

    // While the model writes: part of its text is on the page, the answer is busy, the
    // passages being read are listed.
    const streaming = turn.locator('.streaming-text');
    await expectText(streaming, /^From the sources: \S+/);
    const partial = (await streaming.textContent())!;
    expect(await answer.getAttribute('aria-busy')).toBe('true');
    await page.getByRole('heading', { name: 'Passages being read' }).waitFor();
    await screenshot(page, 'ask-streaming');

    // Then the verified answer replaces it, cited.
    await expectAttribute(answer, 'aria-busy', 'false');
    const final = (await answer.locator('.markdown').textContent())!;
    expect(final.length).toBeGreaterThan(partial.length);
    expect(final.startsWith(partial.trim())).toBe(true);
    await turn.getByRole('link', { name: 'Citation 1' }).first().click();
    await page.getByRole('heading', { name: 'Citations' }).waitFor();
    await expectText(turn.locator('.answer-meta'), 'Written by');
    expect(errors).toEqual([]);
  });

  it('stops an answer on request, and the model call is abandoned', async () => {
    model.setChatDelay(300);
    const abortsBefore = model.chatAborts();
    await page.getByLabel('Follow up').fill('And how does that differ from the tech lead archetype?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const turn = page.getByRole('article', { name: /Answer to: And how does that differ/ });
    await expectText(turn.locator('.streaming-text'), /^From the sources/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expectText(turn.getByRole('alert'), 'Stopped before the answer was complete.');
    await expect.poll(() => model.chatAborts(), { timeout: 10_000 }).toBeGreaterThan(abortsBefore);
  });
});
