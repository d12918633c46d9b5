import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import type { Store } from '@cairn/store';
import { testRuntimes, type FixtureSite } from '@cairn/testing';
import { runCrawl, type Crawler } from '../src/index.js';
import { openCrawlEnvironment, type CrawlEnvironment } from './crawl-environment.js';

/*
 * A hostile crawl must not stall the process it runs in (the API's, with an in-process
 * runner): the event loop is measured while the crawler works through a source whose
 * include and exclude lists hold a pattern that backtracks catastrophically in JavaScript's
 * engine, over pages of 2 MiB with 20,000 links each.
 *
 * Before: with RegExp, one 24-character URL against that pattern held the loop for over
 * 100 s (/healthz stopped answering as soon as a run started); with the pattern removed,
 * reading pages of this size on the event loop held it up to 9.6 s (p99 7.9 s). Now
 * patterns match with RE2, pages and sitemaps are read in a worker thread, and links are
 * added in slices of 10 ms.
 *
 * On server Postgres: PGlite runs its database in this thread, and its own writes and
 * index builds hold the loop for up to seconds, which is the store's matter, not the crawl's.
 */

const catastrophic = '^(([a-z0-9:/.]+)+)+Z$';
const farmPages = 8;
const linksPerPage = 20_000;
/**
 * The bounds asserted, with room for a shared 2-core machine: there an idle Node process
 * alone sees up to 100 ms, and a crawl's worst moment 160 to 600 ms (the CPU taken by other
 * processes and by the extraction thread, garbage collection); on a quiet machine its own
 * slices are 10 ms. Reading one of these pages on the event loop takes over 1.5 s.
 */
const maxDelayMs = 1000;
const p99DelayMs = 250;

/**
 * About 2 MiB of HTML, as a bloated or hostile page has: a megabyte of script, styles,
 * hidden text, then an article of 30 KiB of prose among 20,000 links (short, so that it
 * still reads as an article and is stored).
 */
function farmPage(siteUrl: string, page: number): string {
  const sentence = `Page ${page} of the farm says little, at length, so that its text is big and its links are many. `;
  const prose = sentence.repeat(Math.ceil((15 * 1024) / sentence.length));
  const script = `var farm = ${JSON.stringify('x'.repeat(1024 * 1024))};`;
  const style = '.farm { color: #333; margin: 0 auto; }\n'.repeat(8000);
  const hidden = `<div style="display:none">${sentence.repeat(3000)}</div>`;
  const links = Array.from(
    { length: linksPerPage },
    (_, index) => `<a href="${siteUrl}/farm/${index < farmPages ? index + 1 : `${page}-${index}`}/">·</a>`,
  );
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Farm ${page}</title><style>${style}</style>` +
    `<script>${script}</script></head><body>${hidden}<main><article><h1>Farm ${page}</h1><p>${prose}</p>` +
    `<p>${links.join(' ')}</p><p>${prose}</p></article></main></body></html>\n`
  );
}

const postgres = testRuntimes.find((runtime) => runtime.name === 'postgres')!;
let site: FixtureSite;
let crawler: Crawler;
let store: Store;
let environment: CrawlEnvironment | undefined;

beforeAll(async () => {
  environment = await openCrawlEnvironment(postgres, {
    prepareSite: (served) => {
      for (let page = 1; page <= farmPages; page += 1) served.setPage(`/farm/${page}/`, farmPage(served.url, page));
    },
  });
  ({ site, crawler, store } = environment);
}, 60_000);

afterAll(async () => environment?.close());

describe('the event loop during a hostile crawl', () => {
  it(`is never held ${maxDelayMs} ms (p99 under ${p99DelayMs} ms): a catastrophic pattern, pages of 2 MiB with ${linksPerPage} links`, async () => {
    const source = await store.sources.upsert({
      name: 'farm',
      kind: 'web',
      baseUrl: `${site.url}/farm/`,
      seeds: [`${site.url}/farm/1/`],
      // Tried first on every URL (include) and on every URL included (exclude).
      include: [catastrophic, '/farm/'],
      exclude: [catastrophic],
      maxPages: farmPages + 4,
      crawlDelayMs: 0,
    });
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = performance.now();
    const result = await runCrawl({ store, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source] });
    histogram.disable();
    const maxMs = histogram.max / 1e6;
    const p99Ms = histogram.percentile(99) / 1e6;
    console.log(
      `hostile crawl: ${result.counts.fetched} pages fetched, ${result.counts.discovered} URLs discovered in ` +
        `${Math.round(performance.now() - started)} ms; event-loop delay max ${maxMs.toFixed(1)} ms, p99 ${p99Ms.toFixed(1)} ms, ` +
        `mean ${(histogram.mean / 1e6).toFixed(1)} ms`,
    );
    expect((await store.runs.find(result.runId))?.status).toBe('succeeded');
    expect(result.counts.fetched).toBeGreaterThanOrEqual(farmPages);
    expect(result.counts.discovered).toBeGreaterThan(linksPerPage);
    expect(maxMs).toBeLessThan(maxDelayMs);
    expect(p99Ms).toBeLessThan(p99DelayMs);
  }, 300_000);
});
