import type { CairnConfig } from '@cairn/core';
import { createEmbedder, type Embedder } from '@cairn/embed';
import { createCrawler, ensureDefaultSources, InProcessRunner, loadStarterCorpus, prepareEmbeddingModel, type Crawler } from '@cairn/ingest';
import { Store } from '@cairn/store';

export interface Runtime {
  config: CairnConfig;
  store: Store;
  embedder: Embedder;
  crawler: Crawler;
  /** Ingestion runs, in this process (the queue takes them when REDIS_URL is set, with the worker). */
  runner: InProcessRunner;
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
    const crawler = createCrawler({ allowance: config.allowPrivateNetworks, contact: config.ingestContact });
    const runner = new InProcessRunner({ store, embedder, crawler }, { onError: (error, runId) => log(`ingestion run ${runId} failed: ${(error as Error).message}`) });
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
