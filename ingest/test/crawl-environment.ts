import { Store } from '@cairn/store';
import { startFixtureSite, type FixtureSite, type FixtureSiteOptions, type TestRuntime } from '@cairn/testing';
import { createCrawler, type Crawler } from '../src/index.js';

/** A fixture site on loopback, a crawler allowed to reach it, and a migrated store on `runtime`; `close` undoes all. */
export interface CrawlEnvironment {
  site: FixtureSite;
  crawler: Crawler;
  store: Store;
  close(): Promise<void>;
}

export async function openCrawlEnvironment(
  runtime: TestRuntime,
  options: { site?: FixtureSiteOptions; maxCrawlDelayMs?: number; prepareSite?: (site: FixtureSite) => void } = {},
): Promise<CrawlEnvironment> {
  const site = await startFixtureSite(options.site);
  options.prepareSite?.(site);
  const crawler = createCrawler({
    allowance: ['127.0.0.1'],
    contact: 'https://cairn.invalid/tests',
    maxCrawlDelayMs: options.maxCrawlDelayMs ?? 0,
  });
  const created = await runtime.create();
  const store = await Store.open({ databaseUrl: created.databaseUrl });
  return {
    site,
    crawler,
    store,
    async close() {
      await crawler.close();
      await site.close();
      await store.close();
      await created.drop();
    },
  };
}
