import { ApiKeysRepository } from './api-keys-repository.js';
import { ConversationsRepository } from './conversations-repository.js';
import type { Database } from './database.js';
import { DocumentsRepository } from './documents-repository.js';
import { defaultVectorIndexing, EmbeddingsRepository, VectorTargets, type VectorIndexing } from './embeddings-repository.js';
import { FeedbackRepository } from './feedback-repository.js';
import { migrate, pendingMigrations } from './migrate.js';
import { ensurePostingsTermIndex, PostingsIndexing } from './postings-index.js';
import { PassageContextsRepository } from './passage-contexts-repository.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import { ReadingRepository } from './reading-repository.js';
import { RunsRepository } from './runs-repository.js';
import { EXACT_DENSE_MAX_PASSAGES, SearchRepository } from './search-repository.js';
import { SourcesRepository } from './sources-repository.js';

/**
 * Server Postgres when `databaseUrl` is given, otherwise PGlite under `dataDir/pglite`
 * (in memory when there is no `dataDir` either). Not migrated: see Store.open.
 */
export function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  seed?: string | undefined;
  pgliteThread?: boolean | undefined;
  pgliteGrowBufferPool?: boolean | undefined;
  log?: ((line: string) => void) | undefined;
}): Promise<Database> {
  return options.databaseUrl
    ? PostgresDatabase.open(options.databaseUrl)
    : PgliteDatabase.open(options.dataDir ? pgliteDirectory(options.dataDir) : undefined, {
        seed: options.seed,
        thread: options.pgliteThread,
        growBufferPool: options.pgliteGrowBufferPool,
        log: options.log,
      });
}

/** Where PGlite keeps its files in a data directory. */
export function pgliteDirectory(dataDir: string): string {
  return `${dataDir}/pglite`;
}

/** The repositories over one database. */
export class Store {
  readonly sources: SourcesRepository;
  readonly documents: DocumentsRepository;
  readonly embeddings: EmbeddingsRepository;
  /** The sentences that situate passages in their pages (CAIRN_PASSAGE_CONTEXT=llm), one per passage and model. */
  readonly passageContexts: PassageContextsRepository;
  readonly search: SearchRepository;
  /** What readers see of stored pages: one page with its passages, a source's pages. */
  readonly reading: ReadingRepository;
  readonly conversations: ConversationsRepository;
  readonly feedback: FeedbackRepository;
  readonly runs: RunsRepository;
  readonly apiKeys: ApiKeysRepository;

  /** Where new vectors go (see VectorIndexing): by default deferred, on both databases. */
  readonly vectorIndexing: VectorIndexing;

  constructor(
    readonly database: Database,
    options: {
      vectorIndexing?: VectorIndexing | undefined;
      /** Up to how many passages the dense list ranks exactly in one stage (EXACT_DENSE_MAX_PASSAGES). */
      exactDenseMaxPassages?: number | undefined;
      /** Up to how many passages search holds the corpus in memory (MEMORY_MAX_PASSAGES; 0: never). */
      memoryMaxPassages?: number | undefined;
    } = {},
  ) {
    this.vectorIndexing = options.vectorIndexing ?? defaultVectorIndexing(database.runtime);
    this.sources = new SourcesRepository(database);
    // One view of where each model's vectors go, shared by both writers of vectors.
    const targets = new VectorTargets(database, this.vectorIndexing, options.exactDenseMaxPassages ?? EXACT_DENSE_MAX_PASSAGES);
    this.documents = new DocumentsRepository(database, targets, new PostingsIndexing(database));
    this.embeddings = new EmbeddingsRepository(database, targets);
    this.passageContexts = new PassageContextsRepository(database);
    this.search = new SearchRepository(database, {
      exactDenseMaxPassages: options.exactDenseMaxPassages,
      memoryMaxPassages: options.memoryMaxPassages,
    });
    this.reading = new ReadingRepository(database);
    this.conversations = new ConversationsRepository(database);
    this.feedback = new FeedbackRepository(database);
    this.runs = new RunsRepository(database);
    this.apiKeys = new ApiKeysRepository(database);
  }

  /**
   * Opens server Postgres when `databaseUrl` is given, PGlite under `dataDir` otherwise
   * (in memory when neither), and applies pending migrations.
   */
  static async open(options: {
    databaseUrl?: string | undefined;
    dataDir?: string | undefined;
    log?: (line: string) => void;
    vectorIndexing?: VectorIndexing | undefined;
    /** PGlite only: a dump (PgliteDatabase.dump), by its file's path, that a new database starts from, before migrations. */
    seed?: string | undefined;
    /** PGlite only: run it in a thread of its own (default: for a data directory; see PgliteDatabase.open). */
    pgliteThread?: boolean | undefined;
    /** PGlite only: may a run reopen it with a larger buffer pool (default true; PgliteOpenOptions.growBufferPool). */
    pgliteGrowBufferPool?: boolean | undefined;
  }): Promise<Store> {
    const database = await openDatabase(options);
    try {
      const migrated = await migrate(database, { log: options.log });
      // A run cut short after it dropped the keyword list's term index (PostingsIndexing): built again now.
      if (database.runtime === 'pglite' && (await ensurePostingsTermIndex(database))) {
        options.log?.('built the keyword index that an interrupted ingestion run left out');
      }
      // Migration 0013 rewrote every posting: on PGlite, which has no autovacuum, the keyword list
      // would read the table beside its index until the next run's end vacuums it (refreshStatistics).
      if (database.runtime === 'pglite' && migrated.applied.some((name) => name.startsWith('0013_'))) {
        await database.exec('vacuum (analyze) keyword_postings');
      }
    } catch (error) {
      await database.close();
      throw error;
    }
    return new Store(database, { vectorIndexing: options.vectorIndexing });
  }

  /** Reachable and fully migrated. */
  async isReady(): Promise<{ ok: boolean; reason?: string }> {
    try {
      const pending = await pendingMigrations(this.database);
      return pending.length === 0 ? { ok: true } : { ok: false, reason: `migrations pending: ${pending.join(', ')}` };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
