import fp from 'fastify-plugin';
import type { CairnConfig } from '@cairn/core';
import { loadPersona, type ChatModel } from '@cairn/answer';
import { meaningSimilarity, type Embedder } from '@cairn/embed';
import type { InProcessRunner } from '@cairn/ingest';
import type { Retriever } from '@cairn/retrieve';
import { createRetriever } from '@cairn/runtime';
import type { Store } from '@cairn/store';
import { limits } from '../routes/shared-schemas.js';
import { AskService } from './ask-service.js';

export interface CairnServices {
  config: CairnConfig;
  store: Store;
  embedder: Embedder;
  retriever: Retriever;
  ask: AskService;
  /** The persona prompt answers are written in (the bundled one, or CAIRN_PERSONA_PATH); the MCP prompt carries it. */
  persona: string;
  /** Where ingestion runs are sent; `isReady` when it is a queue that /readyz must check. */
  runner: Pick<InProcessRunner, 'enqueue'> & {
    isReady?: () => Promise<boolean>;
    /** Stops a run an admin cancelled at once (both runners have it); without it the run stops at its runner's next check. */
    cancel?: (runId: string) => Promise<unknown>;
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    cairn: CairnServices;
  }
}

/** What the application is built from (a Runtime has all of it). */
export interface ServiceDependencies {
  config: CairnConfig;
  store: Store;
  embedder: Embedder;
  /** What search embeds queries with, when it differs from `embedder` (during a model change). */
  searchEmbedder?: Embedder;
  runner: CairnServices['runner'];
  /** The chat model; without it answers are extractive. */
  chatModel?: ChatModel | undefined;
  /** The chat model of the rerank, with CAIRN_RERANK=llm (a Runtime's `rerankModel`). */
  rerankModel?: ChatModel | undefined;
  persona?: string;
}

/** The application's services as one decorator, built from the store and embedder it is given. */
export const servicesPlugin = fp<ServiceDependencies>(
  async (app, { config, store, embedder, searchEmbedder, runner, chatModel, rerankModel, persona }) => {
    const retriever = createRetriever(
      { config, store, searchEmbedder: searchEmbedder ?? embedder, rerankModel },
      { log: (line) => app.log.warn(line) },
    );
    const ask = new AskService(store, retriever, {
      chatModel,
      persona,
      contextTokens: config.chat.contextTokens,
      maxAnswerTokens: config.chat.maxTokens,
      maxQuestionChars: limits.questionChars,
      // Extractive answers pick sentences by closeness in meaning too, with the local semantic model.
      meaningSimilarity: meaningSimilarity(embedder),
    });
    app.decorate('cairn', { config, store, embedder, retriever, ask, runner, persona: persona ?? (await loadPersona(config.personaPath)) });
  },
  { name: 'cairn-services' },
);
