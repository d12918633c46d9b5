import { setTimeout as sleep } from 'node:timers/promises';
import type { CairnConfig } from '@cairn/core';
import { createEmbedder, embedderForModel, meaningSimilarity, SwitchingEmbedder, type Embedder } from '@cairn/embed';
import {
  createCrawler,
  ensureDefaultSources,
  InProcessRunner,
  InProcessScheduler,
  loadStarterCorpus,
  prepareEmbeddingModel,
  reembedChunks,
  type Crawler,
  type PassageContextWriter,
} from '@cairn/ingest';
import { LlmPassageContextWriter, loadPersona, OpenAIChatModel, type ChatModel } from '@cairn/answer';
import type { QueueRunner } from '@cairn/ingest/queue';
import type { Store } from '@cairn/store';
import { openRuntimeStore, type RuntimeStore } from './open-store.js';
import { moveSnapshotClock } from './starter-snapshot.js';

export interface Runtime {
  config: CairnConfig;
  store: Store;
  /** The configured model: what ingestion embeds with. */
  embedder: Embedder;
  /**
   * What search embeds queries with: the model whose vectors are complete. After a change
   * of EMBEDDING_MODEL it is the previous model until the new one's vectors are built.
   */
  searchEmbedder: SwitchingEmbedder;
  /** Building the configured model's vectors, when it is not yet the one search reads. */
  reembedding: Promise<void> | undefined;
  crawler: Crawler;
  /**
   * The chat model, when the entry point asked for answers and they are generated
   * (CAIRN_ANSWER_MODE, OPENAI_API_KEY); else answers are extractive.
   */
  chatModel: ChatModel | undefined;
  /**
   * The chat model of the listwise rerank (CAIRN_RERANK=llm), when the entry point searches
   * or answers: the answers' model when they are generated (one concurrency limit for both),
   * else one opened for the rerank alone. See `createRetriever`.
   */
  rerankModel: ChatModel | undefined;
  /** The persona prompt (CAIRN_PERSONA_PATH, or the bundled one), when the entry point asked for answers. */
  persona: string | undefined;
  /**
   * How close in meaning a question is to each of some texts, with the local semantic model
   * (undefined with another): extractive answers pick their sentences by it as well as by words.
   */
  meaningSimilarity: ReturnType<typeof meaningSimilarity>;
  /**
   * What writes the sentence situating each new passage in its page as it is ingested
   * (CAIRN_PASSAGE_CONTEXT=llm), over the chat model: the answers' or the rerank's when this
   * entry point has one (one concurrency limit for all), else one opened for it. Undefined
   * when the setting is off; then no chat model is opened for ingestion (the worker opens none).
   */
  passageContext: PassageContextWriter | undefined;
  /** Where ingestion runs go: the BullMQ queue when REDIS_URL is set (a `cairn worker` crawls), else this process. */
  runner: InProcessRunner | QueueRunner;
  close(): Promise<void>;
}

/** The configured chat model (OPENAI_API_KEY, OPENAI_BASE_URL, CHAT_MODEL and the CHAT_* limits). */
function openChatModel(config: CairnConfig): ChatModel {
  return new OpenAIChatModel({ apiKey: config.openai.apiKey!, baseUrl: config.openai.baseUrl, model: config.chatModel, ...config.chat });
}

/** Resolves true once `model` is the one search reads (polling the store), false if stopped first. */
async function waitForActiveModel(store: Store, model: string, signal: AbortSignal, intervalMs = 2000): Promise<boolean> {
  while (!signal.aborted) {
    if ((await store.embeddings.findModel(model).catch(() => undefined))?.status === 'active') return true;
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
  }
  return false;
}

export interface OpenRuntimeOptions {
  /** Where start-up lines go (the starter corpus loaded, a model change, ...). */
  log?: (line: string) => void;
  /**
   * Where the passage-context writer's lines go (passages left without a sentence:
   * a model error, a timeout); default `log`. For a command whose other lines are not wanted.
   */
  passageContextLog?: (line: string) => void;
  /** Load the starter corpus into an empty database (when CAIRN_STARTER_CORPUS is on); default true. */
  loadStarter?: boolean;
  /**
   * Whether a new embedded data directory may start from the starter snapshot (default true;
   * see starter-snapshot.ts). The empty snapshot (a migrated database and nothing else) is
   * used either way where no starter snapshot is: it only spares the start initdb.
   */
  starterSnapshot?: boolean;
  /**
   * The entry point answers questions (the API, `cairn ask`): open the chat model and load
   * the persona. Default false: the worker, `cairn search` and `cairn ingest` need neither.
   */
  answers?: boolean;
  /**
   * The entry point searches without answering (`cairn search`): with CAIRN_RERANK=llm, open
   * the chat model for the rerank. Default false; `answers` implies it.
   */
  search?: boolean;
  /**
   * The store, its opening already begun (openRuntimeStore, with this log and the same
   * `loadStarter` and `starterSnapshot`, which decide its seed): the API begins it before it
   * loads the rest of its code. Default: opened here. Closed here if the rest fails.
   */
  store?: Promise<RuntimeStore>;
  /**
   * This process runs ingestion for others (the API): without the queue, take up the runs a
   * process that stopped left unfinished (see below), and fire the sources' schedules
   * (InProcessScheduler). Default false: a short command
   * (`cairn ask`, `cairn search`) would only start such a run to put it back on exit.
   */
  takeUpRuns?: boolean;
}

/**
 * Opens what every entry point needs: the store (migrated), the embedder (its model
 * registered), the crawler, the ingestion runner (the BullMQ queue, or this process) and,
 * on an empty database, the starter corpus unless it is turned off. The chat model and the
 * persona only when `answers` is asked for; the rerank's chat model (CAIRN_RERANK=llm) only
 * for `answers` or `search`; the passage-context writer's (CAIRN_PASSAGE_CONTEXT=llm) for
 * every entry point, as any of them may ingest (the starter corpus, `cairn ingest`, the
 * worker, the API's runs), and for none when it is off.
 *
 * With `takeUpRuns` and without the queue, the runs a process that stopped (a crash, kill -9) left unfinished
 * are recovered before this resolves: one that was running ends failed ("interrupted: ...",
 * with a ledger entry), and the queued ones run here, in order. On the embedded database
 * that is every unfinished run (one process opens it at a time); on server Postgres, the
 * runs of processes whose heartbeat stopped. With the queue, BullMQ re-delivers the jobs.
 */
export async function openRuntime(config: CairnConfig, options: OpenRuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? (() => undefined);
  // The embedder (the local model's word-vector table) loads while PGlite starts in its thread.
  const embedding = createEmbedder(config);
  embedding.catch(() => undefined);
  const { store, starterSnapshot } = await (options.store ?? openRuntimeStore(config, { ...options, log }));
  try {
    // A directory that held other files keeps them and is not seeded (see unpackSeed): say only what happened.
    const seeded = store.database.seeded === true;
    const starter = seeded && starterSnapshot;
    if (seeded && !starter) log('created the database from its empty snapshot (migrated, no data)');
    if (seeded && starter) {
      await moveSnapshotClock(store.database);
      const { documents, chunks } = await store.documents.countActive();
      log(`loaded the starter corpus from its snapshot: ${documents} notes, ${chunks} passages`);
    }
    // A bad persona file stops the start, like any other bad setting.
    const persona = options.answers ? await loadPersona(config.personaPath) : undefined;
    const chatModel = options.answers && config.answerMode === 'llm' ? openChatModel(config) : undefined;
    const rerankModel = config.rerank === 'llm' && (options.answers || options.search) ? (chatModel ?? openChatModel(config)) : undefined;
    const passageContext =
      config.passageContext === 'llm'
        ? new LlmPassageContextWriter({
            model: chatModel ?? rerankModel ?? openChatModel(config),
            contextTokens: config.chat.contextTokens,
            maxAnswerTokens: config.chat.maxTokens,
            timeoutMs: config.chat.timeoutMs,
            log: options.passageContextLog ?? log,
          })
        : undefined;
    const embedder = await embedding;
    const active = await store.embeddings.activeModel();
    // Vectors a run cut short left out of the vector index (deferred indexing) go into it now,
    // before the model's registration would build a missing index without a word.
    for (const { model, vectors, rebuilt } of await store.embeddings.indexPending()) {
      log(`indexed ${vectors} vectors of ${model} that an interrupted run left unindexed${rebuilt ? ' (index rebuilt)' : ''}`);
    }
    await prepareEmbeddingModel(store, embedder);
    const searchEmbedder = new SwitchingEmbedder(embedder);
    // The queue needs server Postgres: workers are other processes, and PGlite is one process's.
    const queued = Boolean(config.redisUrl && config.databaseUrl);
    if (config.redisUrl && !config.databaseUrl)
      log('REDIS_URL is set but DATABASE_URL is not: ingestion runs in this process (workers cannot share the embedded database)');
    // BullMQ (and ioredis) are loaded only for the queue: the embedded default never needs them.
    // REDIS_URL's reachability is checked once, where a process starts (the API's startServer, `cairn worker`).
    const queue = queued
      ? new (await import('@cairn/ingest/queue')).QueueRunner(store, { redisUrl: config.redisUrl!, prefix: config.queuePrefix })
      : undefined;
    const stopReembedding = new AbortController();
    let reembedding: Promise<void> | undefined;
    if (active && active.id !== embedder.model) {
      // EMBEDDING_MODEL changed: search reads the old model until the new one is complete.
      searchEmbedder.switchTo(await embedderForModel(active.id, config));
      const switchOver = () => {
        searchEmbedder.switchTo(embedder);
        log(`search switched to ${embedder.model}`);
      };
      if (queue) {
        // The workers build the vectors (a re-embed job); this process switches when they are complete.
        log(`search reads ${active.id} while the workers build ${embedder.model} from the stored passages`);
        await queue
          .enqueueReembed(embedder.model)
          .catch((error: Error) =>
            log(`could not queue the re-embedding of ${embedder.model}: ${error.message}; search stays on ${active.id}`),
          );
        reembedding = waitForActiveModel(store, embedder.model, stopReembedding.signal).then((activated) =>
          activated ? switchOver() : undefined,
        );
      } else {
        log(`search reads ${active.id} while ${embedder.model} is built from the stored passages`);
        reembedding = reembedChunks(store, embedder, { signal: stopReembedding.signal }).then(
          (result) => (result.activated ? switchOver() : undefined),
          (error: unknown) => log(`re-embedding with ${embedder.model} stopped: ${(error as Error).message}; search stays on ${active.id}`),
        );
      }
    }
    if (config.starterCorpus && options.loadStarter !== false) {
      const loaded = await loadStarterCorpus(store, embedder, { passageContext });
      if (loaded) log(`loaded the starter corpus: ${loaded.counts.fetched} notes, ${loaded.counts.chunksAdded} passages`);
    }
    // The real sources are configured, not crawled: crawling is an explicit step.
    const added = await ensureDefaultSources(store);
    if (added.length > 0) {
      log(`configured the default sources (not crawled yet): ${added.join(', ')}`);
      // The starter corpus's run refreshed the planner's statistics before these rows existed,
      // and PGlite has no autovacuum to do it later: a plan that expects one source row and
      // meets six repeats a join six times.
      await store.documents.refreshStatistics();
    }
    const crawler = createCrawler({
      allowance: config.allowPrivateNetworks,
      contact: config.ingestContact,
      maxCrawlDelayMs: config.maxCrawlDelayMs,
      // With workers about, a crawl from this process (cairn ingest) waits its turn at each host too.
      ...(queued ? { sharedPoliteness: { redisUrl: config.redisUrl!, prefix: config.queuePrefix } } : {}),
    });
    const runner =
      queue ??
      new InProcessRunner(
        { store, embedder, crawler, passageContext },
        { log, onError: (error, runId) => log(`ingestion run ${runId} failed: ${(error as Error).message}`) },
      );
    // Runs a crashed process left behind: the queue's workers take up their own jobs again,
    // so only runs of this process's kind are recovered here (see InProcessRunner.recover).
    if (runner instanceof InProcessRunner && options.takeUpRuns) await runner.recover();
    // Without the queue (where `cairn worker` keeps the schedules), this process fires the sources' schedules itself.
    const scheduler = runner instanceof InProcessRunner && options.takeUpRuns ? new InProcessScheduler(store, runner, { log }) : undefined;
    return {
      config,
      store,
      embedder,
      searchEmbedder,
      reembedding,
      crawler,
      chatModel,
      rerankModel,
      persona,
      meaningSimilarity: meaningSimilarity(embedder),
      passageContext,
      runner,
      async close() {
        stopReembedding.abort();
        await reembedding;
        await scheduler?.close();
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
