import { CairnError, type EmbeddingVector } from '@cairn/core';
import { runProcedure, type Database, type Queryable, type TransactionProcedure } from './database.js';
import {
  defaultVectorIndexing,
  insertVectors,
  lockVectorHashes,
  ModelMeanings,
  VectorTargets,
  type VectorIndexing,
} from './embeddings-repository.js';
import { PostingsIndexing } from './postings-index.js';
import type { SqlStatement } from './sql-statement.js';

/**
 * A buffer pool is not worth a page or a run: a growth that fails is not their failure. But
 * a database that could not be reopened even with the pool it had serves nothing more
 * (`database_unavailable`), and the run must stop on it rather than fail page by page.
 */
function rethrowUnavailable(error: unknown): undefined {
  if (error instanceof CairnError && error.code === 'database_unavailable') throw error;
  return undefined;
}

export interface DocumentInput {
  sourceId: string;
  locator: string;
  url: string;
  kind: 'article' | 'note';
  title: string;
  author: string | null;
  publishedAt: Date | null;
  topics: string[];
  frameworks: string[];
  etag: string | null;
  lastModified: string | null;
  contentHash: string;
  /** The page's links, for a re-crawl to follow when the page answers 304 (omitted: left as stored). */
  links?: readonly string[] | undefined;
}

export interface ChunkInput {
  ordinal: number;
  headingPath: string[];
  heading: string;
  anchor: string | null;
  text: string;
  tokenCount: number;
  contentHash: string;
  /**
   * The sentence that situates the passage in its page (CAIRN_PASSAGE_CONTEXT=llm), as it was
   * embedded: re-embedding rebuilds the same input from it. Absent or null: none.
   */
  context?: string | null | undefined;
  /** BM25 weight of each term (see keywordWeights in @cairn/text): the chunk's keyword postings. */
  keywords: ReadonlyMap<string, number>;
}

export interface StoredDocumentState {
  id: string;
  contentHash: string;
  status: 'active' | 'tombstoned';
  etag: string | null;
  lastModified: string | null;
  /** The links the page held when it was last read (null: not recorded, stored before migration 0007). */
  links: string[] | null;
}

export interface ReplaceResult {
  documentId: string;
  chunksAdded: number;
  chunksRemoved: number;
}

/** Vectors to store with a document: model id and vectors by content hash. */
export interface VectorsInput {
  model: string;
  /** The vectors computed for this page (texts the model had no vector for). */
  vectors: ReadonlyMap<string, EmbeddingVector>;
  /**
   * The vectors found stored when the page was embedded (the embedding cache). Should another
   * page have removed the last passage of such a text, and its vector with it, before this
   * page's transaction, the vector is stored again from here rather than the passage being
   * left with none. Optional: without it, such a passage would have no vector.
   */
  stored?: ReadonlyMap<string, EmbeddingVector> | undefined;
}

export class DocumentsRepository {
  private readonly meanings = new ModelMeanings();

  constructor(
    private readonly database: Database,
    private readonly targets: VectorTargets = new VectorTargets(database, defaultVectorIndexing(database.runtime)),
    private readonly postingsIndexing: PostingsIndexing = new PostingsIndexing(database),
  ) {}

  async findState(sourceId: string, locator: string): Promise<StoredDocumentState | undefined> {
    const rows = await this.database.query<StoredDocumentState>(
      `select id, content_hash as "contentHash", status, etag, last_modified as "lastModified", links
       from documents where source_id = $1 and locator = $2`,
      [sourceId, locator],
      // Once a page: on PGlite's one connection, parsed once (server Postgres keeps its
      // prepared statements to search's, for poolers in transaction mode).
      { prepared: this.database.runtime === 'pglite' },
    );
    return rows[0];
  }

  /** The stored state of every document of a source, by locator (read once at the start of a crawl). */
  async statesOfSource(sourceId: string): Promise<Map<string, StoredDocumentState>> {
    const rows = await this.database.query<StoredDocumentState & { locator: string }>(
      `select locator, id, content_hash as "contentHash", status, etag, last_modified as "lastModified", links
       from documents where source_id = $1`,
      [sourceId],
    );
    return new Map(rows.map(({ locator, ...state }) => [locator, state]));
  }

  /**
   * Records that active documents the server called unchanged (a 304) were seen again now:
   * one statement for many. A tombstoned one stays as it is (its chunks are gone).
   */
  async touchAll(documentIds: readonly string[]): Promise<void> {
    if (documentIds.length === 0) return;
    await this.database.query(`update documents set fetched_at = now() where id = any($1::uuid[]) and status = 'active'`, [
      [...documentIds],
    ]);
  }

  /** Records that an unchanged document was seen again (fresh crawl time, validators, and its links when read). */
  async touch(
    documentId: string,
    validators: { etag: string | null; lastModified: string | null; links?: readonly string[] | undefined },
  ): Promise<void> {
    await this.database.query(
      `update documents set fetched_at = now(), etag = coalesce($2, etag), last_modified = coalesce($3, last_modified),
       links = coalesce($4::text[], links), status = 'active' where id = $1`,
      [documentId, validators.etag, validators.lastModified, validators.links ? [...validators.links] : null],
    );
  }

  /**
   * Replaces a document, its chunks and any new vectors in one transaction, so a reader
   * sees the old version or the new one, never a mix. Vectors of texts no chunk uses any
   * more are deleted with it. Where new vectors go depends on the store's VectorIndexing and
   * on VectorTargets; search finds them either way.
   */
  async replace(document: DocumentInput, chunks: ChunkInput[], vectors: VectorsInput): Promise<ReplaceResult> {
    const meaningDimensions = await this.meanings.of(this.database, vectors.model);
    const indexing = await this.targets.indexingFor(vectors.model, vectors.vectors.size);
    await this.postingsIndexing.beforeWrite(chunks.reduce((sum, chunk) => sum + chunk.keywords.size, 0));
    const result = await runProcedure(this.database, replaceDocument, {
      document,
      // Only ChunkInput's fields: a caller's extras (ingest's embedded text) need not cross to PGlite's thread.
      chunks: chunks.map(({ ordinal, headingPath, heading, anchor, text, tokenCount, contentHash, context, keywords }) => ({
        ordinal,
        headingPath,
        heading,
        anchor,
        text,
        tokenCount,
        contentHash,
        context,
        keywords,
      })),
      vectors,
      indexing,
      runtime: this.database.runtime,
      meaningDimensions,
    });
    // PGlite: a run that outgrows the buffer pool gets a larger one now, not at its end.
    await this.database.growBufferPoolDuringRun?.().catch(rethrowUnavailable);
    return result;
  }

  /** Tombstones one document (a 404 or 410 on a re-crawl) and removes its chunks from search. */
  async tombstone(sourceId: string, locator: string): Promise<{ locator: string; chunksRemoved: number }[]> {
    return this.tombstoneWhere(sourceId, 'locator = $2', [locator]);
  }

  /**
   * Tombstones the source's active documents whose locators are not in `seen` (they
   * vanished from a complete crawl) and removes their chunks from search.
   * Returns the tombstoned locators.
   */
  async tombstoneMissing(sourceId: string, seen: readonly string[]): Promise<{ locator: string; chunksRemoved: number }[]> {
    return this.tombstoneWhere(sourceId, 'not (locator = any($2::text[]))', [[...seen]]);
  }

  private async tombstoneWhere(
    sourceId: string,
    condition: string,
    params: unknown[],
  ): Promise<{ locator: string; chunksRemoved: number }[]> {
    return this.database.transaction(async (transaction) => {
      const gone = await transaction.query<{ id: string; locator: string }>(
        `update documents set status = 'tombstoned', updated_at = now()
         where source_id = $1 and status = 'active' and ${condition}
         returning id, locator`,
        [sourceId, ...params],
      );
      if (gone.length === 0) return [];
      const removed = await transaction.query<{ documentId: string; contentHash: string }>(
        'delete from chunks where document_id = any($1::uuid[]) returning document_id as "documentId", content_hash as "contentHash"',
        [gone.map((document) => document.id)],
      );
      // All the texts' locks at once, in one order (see lockVectorHashes), then their orphans.
      const hashes = removed.map((chunk) => chunk.contentHash);
      await lockVectorHashes(transaction, hashes, this.database.runtime);
      await deleteOrphanEmbeddings(transaction, hashes);
      const removedOf = new Map<string, number>();
      for (const chunk of removed) removedOf.set(chunk.documentId, (removedOf.get(chunk.documentId) ?? 0) + 1);
      return gone.map((document) => ({ locator: document.locator, chunksRemoved: removedOf.get(document.id) ?? 0 }));
    });
  }

  /** Active documents of a source by id, with their locators. */
  async locatorsOfSource(sourceName: string): Promise<Map<string, string>> {
    const rows = await this.database.query<{ id: string; locator: string }>(
      `select d.id, d.locator from documents d join sources s on s.id = d.source_id where s.name = $1 and d.status = 'active'`,
      [sourceName],
    );
    return new Map(rows.map((row) => [row.id, row.locator]));
  }

  /**
   * Ends a run's writes: on PGlite, builds the keyword list's term index again if the run dropped
   * it (PostingsIndexing). Call it as a run ends, however it ends (refreshStatistics does it
   * too): a run that failed, or whose pages came out as they were, skips the statistics.
   */
  async endRun(): Promise<void> {
    if (this.database.runtime === 'pglite') await this.postingsIndexing.endRun();
  }

  /**
   * Refreshes the planner's statistics of the tables search reads: keyword search estimates
   * each term's document frequency (for IDF) from them, and both searches need them for
   * good plans. Server Postgres also does this by itself (autovacuum); PGlite does not.
   * Call it after an ingestion run, outside a transaction. On PGlite `unindexed_embeddings` is
   * vacuumed as well: a run's vectors pass through it and leave it empty, and with no
   * autovacuum its primary key kept their dead entries, which every search then read (164
   * pages a search after a 10,000-passage load, 1.5 ms). Server Postgres's autovacuum does
   * it there, without workers queueing on each other's VACUUM after every page. On PGlite
   * `keyword_postings` is vacuumed too, so that the keyword list reads postings from its index
   * alone (an index-only scan reads the table for pages VACUUM has not marked all-visible;
   * migration 0012). On PGlite the keyword list's term index is built first if a run dropped
   * it (PostingsIndexing). And on PGlite the buffer pool grows with the data
   * (Database.growBufferPool), which reopens it.
   */
  async refreshStatistics(): Promise<void> {
    if (this.database.runtime === 'pglite') {
      await this.endRun();
      await this.database.exec('vacuum (analyze) unindexed_embeddings, keyword_postings');
      await this.database.exec('analyze sources, documents, chunks, embeddings');
      // A run that loaded much more than the database held at start: a buffer pool to match.
      await this.database.growBufferPool?.().catch(rethrowUnavailable);
    } else await this.database.exec('analyze sources, documents, chunks, keyword_postings, embeddings, unindexed_embeddings');
  }

  async countActive(): Promise<{ documents: number; chunks: number }> {
    const [row] = await this.database.query<{ documents: number; chunks: number }>(
      `select (select count(*)::int from documents where status = 'active') as documents,
              (select count(*)::int from chunks) as chunks`,
    );
    return row!;
  }
}

/**
 * A document's replacement, in one transaction (DocumentsRepository.replace): the document
 * upserted, its chunks and postings replaced, the vectors of its new texts stored and those
 * no chunk has any more deleted. A procedure, so that PGlite's thread runs it whole.
 */
export const replaceDocument: TransactionProcedure<
  {
    document: DocumentInput;
    chunks: ChunkInput[];
    vectors: VectorsInput;
    indexing: VectorIndexing;
    runtime: Database['runtime'];
    /** The model's meaning dimensions (ModelMeanings), read before the transaction. */
    meaningDimensions: number | null;
  },
  ReplaceResult
> = {
  name: 'replaceDocument',
  async run(transaction, { document, chunks, vectors, indexing, runtime, meaningDimensions }) {
    const [row] = await transaction.query<{ id: string; inserted: boolean }>(
      `insert into documents (source_id, locator, url, kind, title, author, published_at, topics, frameworks,
         etag, last_modified, content_hash, status, fetched_at, links)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'active', now(), $13::text[])
       on conflict (source_id, locator) do update set url = excluded.url, kind = excluded.kind, title = excluded.title,
         author = excluded.author, published_at = excluded.published_at, topics = excluded.topics,
         frameworks = excluded.frameworks, etag = excluded.etag, last_modified = excluded.last_modified,
         content_hash = excluded.content_hash, status = 'active', fetched_at = now(), updated_at = now(),
         links = coalesce(excluded.links, documents.links)
       returning id, xmax = 0 as inserted`,
      [
        document.sourceId,
        document.locator,
        document.url,
        document.kind,
        document.title,
        document.author,
        document.publishedAt,
        document.topics,
        document.frameworks,
        document.etag,
        document.lastModified,
        document.contentHash,
        document.links ? [...document.links] : null,
      ],
    );
    const documentId = row!.id;
    // A page new to the database (its row inserted, not updated: no transaction had set its
    // xmax) has no chunks to delete: a first ingest skips the statement and its trigger.
    const previous = row!.inserted
      ? []
      : await transaction.query<{ contentHash: string }>(
          'delete from chunks where document_id = $1 returning content_hash as "contentHash"',
          [documentId],
        );
    if (chunks.length > 0) {
      await transaction.query(
        `insert into chunks (document_id, source_id, ordinal, heading_path, heading, anchor, text, token_count, content_hash, context)
         select $1, $2, x.ordinal, x.heading_path, x.heading, x.anchor, x.text, x.token_count, x.content_hash, x.context
         from jsonb_to_recordset($3::jsonb) as x(ordinal integer, heading_path text[], heading text, anchor text,
           text text, token_count integer, content_hash text, context text)`,
        [
          documentId,
          document.sourceId,
          JSON.stringify(
            chunks.map((chunk) => ({
              ordinal: chunk.ordinal,
              heading_path: chunk.headingPath,
              heading: chunk.heading,
              anchor: chunk.anchor,
              text: chunk.text,
              token_count: chunk.tokenCount,
              content_hash: chunk.contentHash,
              context: chunk.context ?? null,
            })),
          ),
        ],
      );
    }
    const postings = chunks.flatMap((chunk) => [...chunk.keywords].map(([term, weight]) => ({ ordinal: chunk.ordinal, term, weight })));
    if (postings.length > 0) {
      // Three parallel arrays: cheaper to send and unpack than a JSON record per posting.
      await transaction.query(
        `insert into keyword_postings (term, chunk_id, source_id, document_id, weight)
         select x.term, c.id, c.source_id, c.document_id, x.weight
         from unnest($2::integer[], $3::text[], $4::real[]) as x(ordinal, term, weight)
         join chunks c on c.document_id = $1 and c.ordinal = x.ordinal`,
        [
          documentId,
          postings.map((posting) => posting.ordinal),
          postings.map((posting) => posting.term),
          postings.map((posting) => posting.weight),
        ],
      );
    }
    const previousHashes = previous.map((chunk) => chunk.contentHash);
    await lockVectorHashes(transaction, [...chunks.map((chunk) => chunk.contentHash), ...previousHashes], runtime);
    await insertVectors(transaction, indexing, vectors.model, vectors.vectors, meaningDimensions);
    await restoreLostVectors(transaction, indexing, vectors, meaningDimensions);
    await deleteOrphanEmbeddings(transaction, previousHashes);
    const { added, removed } = diffHashes(
      previousHashes,
      chunks.map((chunk) => chunk.contentHash),
    );
    return { documentId, chunksAdded: added, chunksRemoved: removed };
  },
};

/**
 * Stores again the vectors a page found cached (VectorsInput.stored) that are gone by the
 * time its transaction runs: another page removed the text's last passage meanwhile. One
 * lookup of the primary key per text; only the lost ones are sent. Call it holding the
 * texts' locks (lockVectorHashes).
 */
async function restoreLostVectors(
  transaction: Queryable,
  indexing: VectorIndexing,
  vectors: VectorsInput,
  meaningDimensions: number | null,
): Promise<void> {
  const stored = [...(vectors.stored?.keys() ?? [])].filter((hash) => !vectors.vectors.has(hash));
  if (stored.length === 0) return;
  const { sql, params } = lostVectorsQuery(vectors.model, stored);
  const lost = await transaction.query<{ contentHash: string }>(sql, params);
  if (lost.length === 0) return;
  await insertVectors(
    transaction,
    indexing,
    vectors.model,
    new Map(lost.map(({ contentHash }) => [contentHash, vectors.stored!.get(contentHash)!])),
    meaningDimensions,
  );
}

/**
 * The given texts that have no vector of `model` in either table. A lookup of the primary key
 * per text and table (as findCached), not an anti-join: the waiting vectors' statistics are
 * those of the last run's end, when the table was empty, and the planner then hashed every
 * vector of the run for each page. Exported so that a test can EXPLAIN it.
 */
export function lostVectorsQuery(model: string, hashes: readonly string[]): SqlStatement {
  return {
    sql: `select h.content_hash as "contentHash" from unnest($2::text[]) as h(content_hash)
     where (select 1 from embeddings e where e.model = $1 and e.content_hash = h.content_hash) is null
       and (select 1 from unindexed_embeddings u where u.model = $1 and u.content_hash = h.content_hash) is null`,
    params: [model, [...hashes]],
  };
}

/** Deletes the vectors (of every model, in both tables) of the given hashes that no chunk has any more. */
export async function deleteOrphanEmbeddings(database: { query: Database['query'] }, hashes: string[]): Promise<void> {
  if (hashes.length === 0) return;
  // The waiting table first: a run's end that moves a vector from it into `embeddings`
  // (indexPending) while this runs is then seen, committed, by the second statement's
  // snapshot; the other way round the vector slipped past both.
  for (const table of ['unindexed_embeddings', 'embeddings'] as const) {
    const { sql, params } = orphanEmbeddingsQuery(table, hashes);
    await database.query(sql, params);
  }
}

/**
 * Deletes the vectors of the given hashes that no chunk has any more, of every model. The
 * models are named (from embedding_models) so that the primary key, (model, content_hash),
 * finds the rows: on the hash alone, Postgres read every vector of the table for each page a
 * re-crawl changed (100,000 vectors: 15.5 ms a statement against 0.07 ms). Exported so that a
 * test can EXPLAIN it.
 */
export function orphanEmbeddingsQuery(table: 'embeddings' | 'unindexed_embeddings', hashes: readonly string[]): SqlStatement {
  return {
    sql: `delete from ${table} e
       where e.model = any(array(select id from embedding_models)) and e.content_hash = any($1::text[])
         and not exists (select 1 from chunks c where c.content_hash = e.content_hash)`,
    params: [[...new Set(hashes)]],
  };
}

/** Counts chunks added and removed between two versions, by content hash (as multisets). */
export function diffHashes(before: readonly string[], after: readonly string[]): { added: number; removed: number } {
  const remaining = new Map<string, number>();
  for (const hash of before) remaining.set(hash, (remaining.get(hash) ?? 0) + 1);
  let added = 0;
  for (const hash of after) {
    const count = remaining.get(hash) ?? 0;
    if (count > 0) remaining.set(hash, count - 1);
    else added += 1;
  }
  let removed = 0;
  for (const count of remaining.values()) removed += count;
  return { added, removed };
}
