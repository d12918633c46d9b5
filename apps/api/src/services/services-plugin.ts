import fp from 'fastify-plugin';
import type { CairnConfig } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import type { InProcessRunner } from '@cairn/ingest';
import { Retriever } from '@cairn/retrieve';
import type { Store } from '@cairn/store';
import { AskService } from './ask-service.js';

export interface CairnServices {
  config: CairnConfig;
  store: Store;
  embedder: Embedder;
  retriever: Retriever;
  ask: AskService;
  /** Where ingestion runs are sent; `isReady` when it is a queue that /readyz must check. */
  runner: Pick<InProcessRunner, 'enqueue'> & { isReady?: () => Promise<boolean> };
}

declare module 'fastify' {
  interface FastifyInstance {
    cairn: CairnServices;
  }
}

/** The application's services as one decorator, built from the store and embedder it is given. */
export const servicesPlugin = fp<{ config: CairnConfig; store: Store; embedder: Embedder; searchEmbedder?: Embedder; runner: CairnServices['runner'] }>(
  async (app, { config, store, embedder, searchEmbedder, runner }) => {
    const retriever = new Retriever(store, searchEmbedder ?? embedder, config.retrievalMode);
    app.decorate('cairn', { config, store, embedder, retriever, ask: new AskService(store, retriever), runner });
  },
  { name: 'cairn-services' },
);
