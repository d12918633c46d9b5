import type { CairnConfig } from '@cairn/core';
import { createEmbedder, type Embedder } from '@cairn/embed';
import { loadStarterCorpus, prepareEmbeddingModel } from '@cairn/ingest';
import { Store } from '@cairn/store';

export interface Runtime {
  config: CairnConfig;
  store: Store;
  embedder: Embedder;
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
    return { config, store, embedder, close: () => store.close() };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
