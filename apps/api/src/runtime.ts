import type { CairnConfig } from '@cairn/core';
import { createEmbedder, type Embedder } from '@cairn/embed';
import { createCrawler, ensureDefaultSources, InProcessRunner, loadStarterCorpus, prepareEmbeddingModel, QueueRunner, type Crawler } from '@cairn/ingest';
import { Store } from '@cairn/store';

export interface Runtime {
  config: CairnConfig;
  store: Store;
  embedder: Embedder;
  crawler: Crawler;
  /** Where ingestion runs go: the BullMQ queue when REDIS_URL is set (a `cairn worker` crawls), else this process. */
  runner: InProcessRunner | QueueRunner;
  close(): Promise<void>;
}

/**
 * Opens what every command needs: the store (migrated), the embedder (its model
 * registered) and, on an empty database, the starter corpus unless it is turned off.
 */
export async function openRuntime(config: CairnConfig, options: { log?: (line: string) => void; loadStarter?: boolean } = {}): Promise<Runtime> {
  const log = options.log ?? (() => undefined);
  const store = await Store.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  try {
    const embedder = await createEmbedder(config);
    await prepareEmbeddingModel(store, embedder);
    if (config.starterCorpus && options.loadStarter !== false) {
      const loaded = await loadStarterCorpus(store, embedder);
      if (loaded) log(`loaded the starter corpus: ${loaded.counts.fetched} notes, ${loaded.counts.chunksAdded} passages`);
    }
    // The real sources are configured, not crawled: crawling is an explicit step.
    const added = await ensureDefaultSources(store);
    if (added.length > 0) log(`configured the default sources (not crawled yet): ${added.join(', ')}`);
    const crawler = createCrawler({ allowance: config.allowPrivateNetworks, contact: config.ingestContact, maxCrawlDelayMs: config.maxCrawlDelayMs });
    const runner = config.redisUrl
      ? new QueueRunner(store, { redisUrl: config.redisUrl, prefix: config.queuePrefix })
      : new InProcessRunner({ store, embedder, crawler }, { onError: (error, runId) => log(`ingestion run ${runId} failed: ${(error as Error).message}`) });
    return {
      config,
      store,
      embedder,
      crawler,
      runner,
      async close() {
        await runner.close();
        await crawler.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
