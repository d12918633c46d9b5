import { createHash } from 'node:crypto';
import { CairnError, isSparseEmbedding, vectorTypeOf, type EmbeddingVector, type VectorType } from '@cairn/core';
import type { Database, Queryable } from './database.js';
import { embeddingFromSql, embeddingToBinary } from './embedding-to-sql.js';

export interface EmbeddingModelRecord {
  id: string;
  dimensions: number;
  /** The pgvector type of its vectors: `vector` (dense) or `sparsevec`. */
  vectorType: VectorType;
  /**
   * How many of its first dimensions are its meaning part, indexed on their own (see
   * createHnswIndex and denseSearchQuery); null when the whole vector is indexed.
   */
  meaningDimensions: number | null;
  status: 'building' | 'active' | 'retired';
}

const modelColumns = `id, dimensions, vector_type as "vectorType", meaning_dimensions as "meaningDimensions", status`;

/**
 * Where new vectors go. `immediate`: straight into `embeddings` and so into their model's
 * HNSW index, one insert at a time. `deferred`: into `unindexed_embeddings`, which search
 * scans exactly, until indexPending moves them at the end of a run, rebuilding the index in
 * one go when they are many. Deferred is the default on both databases: an index insert
 * costs far more than a vector's share of a build (PGlite, 512 dense dimensions: 4.2 ms
 * against 0.65 ms; local-semantic-v2's sparse vectors on server Postgres, 1,000 pages: a
 * first ingest of 164 s immediate against 40 s deferred), and the build does not block
 * searches (see indexPending).
 */
export type VectorIndexing = 'immediate' | 'deferred';

/** The default for a runtime (see VectorIndexing). */
export function defaultVectorIndexing(_runtime: 'pglite' | 'postgres'): VectorIndexing {
  return 'deferred';
}

/**
 * indexPending rebuilds a model's HNSW index, rather than inserting the unindexed vectors
 * into it one by one, when they number at least this share of the vectors already indexed.
 * Measured on PGlite (6,000 vectors of 512 dimensions): an index insert 4.2 ms, a build
 * 0.65 ms a vector, so a rebuild is the cheaper once the new vectors are above ~18% of the old.
 */
export const REBUILD_SHARE = 0.2;

const modelIdPattern = /^[A-Za-z0-9._:/@-]{1,100}$/;

const invalidModelId = (model: string) =>
  new CairnError('invalid_embedding_model', `Embedding model id ${JSON.stringify(model)} has characters outside [A-Za-z0-9._:/@-]`, {
    details: { model },
  });

/** The name of a model's partial HNSW index. */
export function hnswIndexName(model: string): string {
  return `embeddings_hnsw_${createHash('sha256').update(model).digest('hex').slice(0, 16)}`;
}

/** hnswIndexName in SQL, of the model id `column`. */
const hnswIndexNameSql = (column: string) => `'embeddings_hnsw_' || left(encode(sha256(convert_to(${column}, 'UTF8')), 'hex'), 16)`;

/** The column a model's vectors are stored in, by their pgvector type. */
export function vectorColumn(vectorType: VectorType): 'embedding' | 'sparse_embedding' {
  return vectorType === 'sparsevec' ? 'sparse_embedding' : 'embedding';
}

/** The most dimensions of each vector type: the HNSW limit for dense vectors, pgvector's own for sparse ones. */
const maxDimensions: Record<VectorType, number> = { vector: 2000, sparsevec: 1_000_000_000 };

/**
 * Creates a model's partial HNSW index (cosine) on `embedding::vector(dimensions)`, or on
 * `sparse_embedding::sparsevec(dimensions)` for a sparse model, unless it exists; for a
 * model with a meaning part, on `meaning::vector(meaningDimensions)` (migration 0011: a
 * build over local-semantic-v2's 100 dimensions takes a twentieth of one over its sparse vectors).
 */
function createHnswIndex(model: string, dimensions: number, vectorType: VectorType, meaningDimensions: number | null): string {
  if (!modelIdPattern.test(model)) throw invalidModelId(model);
  const [typed, operators] =
    meaningDimensions === null
      ? [`${vectorColumn(vectorType)}::${vectorType}(${Math.trunc(dimensions)})`, `${vectorType}_cosine_ops`]
      : [`meaning::vector(${Math.trunc(meaningDimensions)})`, 'vector_cosine_ops'];
  // The id is checked against modelIdPattern, so it is safe inside a literal.
  return `create index if not exists ${hnswIndexName(model)} on embeddings using hnsw ((${typed}) ${operators})
    where model = '${model}'`;
}

/**
 * The meaning part of a vector: its first `meaningDimensions` dimensions, or null when they
 * are all zero (nothing the meaning index could find it by) or the model has no meaning part.
 */
function meaningOf(vector: EmbeddingVector, meaningDimensions: number | null): number[] | null {
  if (meaningDimensions === null) return null;
  const meaning = new Array<number>(meaningDimensions).fill(0);
  if (isSparseEmbedding(vector)) {
    for (let entry = 0; entry < vector.indices.length && vector.indices[entry]! < meaningDimensions; entry += 1)
      meaning[vector.indices[entry]!] = vector.values[entry]!;
  } else {
    for (let index = 0; index < meaningDimensions; index += 1) meaning[index] = vector[index] ?? 0;
  }
  return meaning.some((value) => value !== 0) ? meaning : null;
}

/** The meaning part of a vector (see meaningOf) in pgvector's binary form (embeddingToBinary). */
export function meaningToBinary(vector: EmbeddingVector, meaningDimensions: number | null): Uint8Array | null {
  const meaning = meaningOf(vector, meaningDimensions);
  return meaning && embeddingToBinary(meaning);
}

/** The first key of the advisory locks lockVectorHashes takes (the second is the text's stripe). */
const vectorHashLockClass = 0x76656331; // 'vec1'
/**
 * Texts are locked by stripe (their hash modulo this), so that a transaction takes at most
 * this many locks: Postgres's lock table is shared by all sessions and sized by
 * max_locks_per_transaction × connections (about 6,400 at the defaults), and a lock per text
 * made deleting a source of a few thousand passages fail with "out of shared memory".
 * Texts of one stripe take turns that they did not need to: rare, and brief.
 */
export const VECTOR_LOCK_STRIPES = 1024;

/**
 * Takes a transaction-scoped lock on each content hash, in one order, so that transactions
 * that add or remove passages sharing a text, or store its vectors, take turns on it. The
 * decisions each makes about a text's vectors (keep or delete an orphan, insert one that a
 * page found cached but another page deleted meanwhile) then see the other's committed
 * passages: on server Postgres, two transactions removing the last two passages of a text
 * each saw the other's still there and both kept its vector, and a page that found a vector
 * cached could lose it to a page that removed the text's last other passage before it
 * committed. Call it inside a transaction, before the statements that read and write the
 * hashes' vectors; the locks end with it. Texts share VECTOR_LOCK_STRIPES locks. On PGlite
 * (`runtime`), whose one connection runs one transaction at a time, there is no one to take
 * turns with, and nothing is sent.
 */
export async function lockVectorHashes(transaction: Queryable, hashes: readonly string[], runtime: 'pglite' | 'postgres'): Promise<void> {
  if (hashes.length === 0 || runtime === 'pglite') return;
  await transaction.query(
    `select pg_advisory_xact_lock(${vectorHashLockClass}, k)
     from (select distinct hashtext(h) & ${VECTOR_LOCK_STRIPES - 1} as k from unnest($1::text[]) as h order by 1) as keys`,
    [[...new Set(hashes)]],
  );
}

/**
 * Stores vectors of `model` in the table `indexing` writes to, for texts that a passage has
 * (a vector no passage has would be an orphan: a page changed while its text was embedded);
 * a text that already has a vector of the model, in either table, is left as it is.
 */
export async function insertVectors(
  database: Queryable,
  indexing: VectorIndexing,
  model: string,
  vectors: ReadonlyMap<string, EmbeddingVector>,
  meaningDimensions: number | null,
): Promise<void> {
  if (vectors.size === 0) return;
  const [table, other] = indexing === 'immediate' ? ['embeddings', 'unindexed_embeddings'] : ['unindexed_embeddings', 'embeddings'];
  // A model's vectors are all of one type; each type goes to its own column. Vectors go in
  // pgvector's binary form (embeddingToBinary), one typed parameter each, in batches that stay
  // far below a statement's 65,535 parameters.
  for (const vectorType of ['vector', 'sparsevec'] as const) {
    const rows = [...vectors].filter(([, vector]) => vectorTypeOf(vector) === vectorType);
    for (let start = 0; start < rows.length; start += INSERT_VECTORS_BATCH) {
      const batch = rows.slice(start, start + INSERT_VECTORS_BATCH);
      const params: unknown[] = [model];
      const values = batch.map(([hash, vector]) => {
        params.push(hash, embeddingToBinary(vector), meaningToBinary(vector, meaningDimensions));
        const at = params.length;
        return `($${at - 2}::text, $${at - 1}::${vectorType}, $${at}::vector)`;
      });
      await database.query(
        `insert into ${table} (model, content_hash, ${vectorColumn(vectorType)}, meaning)
         select $1, x.content_hash, x.embedding, x.meaning
         from (values ${values.join(', ')}) as x(content_hash, embedding, meaning)
         where not exists (select 1 from ${other} o where o.model = $1 and o.content_hash = x.content_hash)
           and exists (select 1 from chunks c where c.content_hash = x.content_hash)
         on conflict (model, content_hash) do nothing`,
        params,
        // A text for each count of vectors: not one to keep prepared (PglitePreparedStatements.queryInTransaction).
        { prepared: false },
      );
    }
  }
}

/** The most vectors insertVectors sends in one statement (three parameters each). */
export const INSERT_VECTORS_BATCH = 500;

/** What VectorTargets decided for a model's writes since the last end of a run. */
interface TargetDecision {
  /** The end of a run (VectorTargets.generation) it was made after. */
  generation: number;
  /** Whether its vectors go straight into `embeddings`, its index dropped until the run's end. */
  direct: boolean;
  /** How many more vectors may go into `unindexed_embeddings` before the index is dropped. */
  budget: number;
  /** A recount (VectorTargets.recount) under way. */
  recounting?: Promise<void> | undefined;
}

/**
 * Where a model's next vectors go, decided for the writes of a run and shared by the
 * repositories of one Store that store vectors. With `deferred` indexing on PGlite, once a
 * model's vectors waiting outside its index reach REBUILD_SHARE of those in it, the run's end
 * will rebuild the index anyway (indexPending); so the index is dropped there and then, the
 * vectors waiting (up to that fifth) are moved into `embeddings`, and the rest of the run
 * writes its vectors straight into `embeddings`, where no index is kept up, rather than into
 * `unindexed_embeddings` to be moved again at the end: on a first ingest of 1,000 pages
 * (6,000 vectors) the move took 1.0 s of the run's 5 s end. A model with no vectors yet (a
 * first ingest, a re-embedding) goes straight in from its first write. The run's end builds
 * the index (indexPending builds any missing index of a model with vectors, after a crash too).
 *
 * Only while the model has at most `maxIndexed` vectors in its index, by default
 * EXACT_DENSE_MAX_PASSAGES: search ranks such a corpus exactly, not through the index (see
 * SearchRepository; the Store passes both the same `exactDenseMaxPassages`), so dropping it costs
 * searches nothing, and a run cut short (cancelled, failed, a shutdown: the end that builds
 * the index never comes) leaves a large corpus's index as it was. Search scans a model's
 * vectors exactly while it has no index, as it scans the unindexed ones.
 *
 * PGlite only: its data directory is one process's and its one connection runs one statement
 * at a time, so what a Store decides about an index holds for the database. Server
 * Postgres's ingest workers write from many processes at once; there every write is deferred.
 */
export class VectorTargets {
  private decisions = new Map<string, Promise<TargetDecision>>();
  /** Models this process has dropped the index of, until the end of their run. */
  private readonly direct = new Set<string>();
  /** Counts the ends of runs (endRun): a switch decided before one is not made after it. */
  private generation = 0;
  /** Ends of runs indexing now (endRun): a model may be without its index only until they build it. */
  private endsIndexing = 0;

  constructor(
    private readonly database: Database,
    readonly indexing: VectorIndexing,
    /**
     * The most vectors a model's index may hold for a run to drop it (see VectorTargets): the
     * Store passes search's EXACT_DENSE_MAX_PASSAGES (or its own); 0 drops only empty ones.
     */
    private readonly maxIndexed = 0,
  ) {}

  /** Where `count` new vectors of `model` go: `immediate` writes them into `embeddings`. */
  async indexingFor(model: string, count: number): Promise<VectorIndexing> {
    if (this.indexing === 'immediate' || this.database.runtime !== 'pglite' || count === 0) return this.indexing;
    let pending = this.decisions.get(model);
    if (!pending) {
      pending = this.decide(model);
      this.decisions.set(model, pending);
      // A decision that failed (the statement did) is made again by the next write.
      pending.catch(() => {
        if (this.decisions.get(model) === pending) this.decisions.delete(model);
      });
    }
    const decision = await pending;
    // A recount under way may switch: these vectors are counted after it.
    while (decision.recounting) await decision.recounting;
    if (decision.direct) return 'immediate';
    decision.budget -= count;
    if (decision.budget > 0) return 'deferred';
    // Counted again when the estimate runs out (a vector sent may not be stored: its text had one already).
    decision.recounting = this.recount(model, decision, count).finally(() => (decision.recounting = undefined));
    await decision.recounting;
    return decision.direct ? 'immediate' : 'deferred';
  }

  /** Whether this process dropped the index of `model` for its run (registerModel then leaves it out). */
  isDirect(model: string): boolean {
    return this.direct.has(model);
  }

  /**
   * Forgets every decision: called by indexPending as a run ends, before it indexes what
   * waits; returns what to call once it has.
   */
  endRun(): () => void {
    this.generation += 1;
    this.decisions = new Map();
    this.direct.clear();
    this.endsIndexing += 1;
    return () => (this.endsIndexing -= 1);
  }

  private async decide(model: string): Promise<TargetDecision> {
    const generation = this.generation;
    const counts = await countVectors(this.database, model);
    // No index (a run cut short, or one dropped as above): nothing to keep up. Unless a run's
    // end is about to build it: then these vectors would go into it one by one.
    const direct = !counts.hasIndex && generation === this.generation && this.endsIndexing === 0;
    if (direct) this.direct.add(model);
    return { generation, direct, budget: this.budget(counts) };
  }

  /** How many more vectors may wait outside the index: past maxIndexed the index stays, and the budget never runs out. */
  private budget({ indexed, unindexed }: { indexed: number; unindexed: number }): number {
    return indexed > this.maxIndexed ? Infinity : indexed * REBUILD_SHARE - unindexed;
  }

  /**
   * Counts the model's vectors in and out of its index again, `count` more to come: while
   * they stay under REBUILD_SHARE, the budget is what is left; once they reach it, drops the
   * index and moves the waiting vectors into `embeddings`, unless a run ended meanwhile.
   */
  private async recount(model: string, decision: TargetDecision, count: number): Promise<void> {
    await this.database.transaction(async (transaction) => {
      // As indexPending: one of them at a time for a model.
      await transaction.query('select 1 from embedding_models where id = $1 for no key update', [model]);
      if (decision.generation !== this.generation) return;
      decision.budget = this.budget(await countVectors(transaction, model)) - count;
      if (decision.budget > 0) return;
      await transaction.exec(`drop index if exists ${hnswIndexName(model)}`);
      await moveUnindexed(transaction, model, 2 ** 31 - 1);
      // A run that ended meanwhile builds the index after this (its indexPending waits for the transaction).
      if (decision.generation !== this.generation) return;
      decision.direct = true;
      this.direct.add(model);
    });
  }
}

/** A model's vectors in `embeddings` and in `unindexed_embeddings`, and whether its HNSW index exists. */
async function countVectors(queryable: Queryable, model: string): Promise<{ indexed: number; unindexed: number; hasIndex: boolean }> {
  const [counts] = await queryable.query<{ indexed: number; unindexed: number; hasIndex: boolean }>(
    `select (select count(*)::int from embeddings where model = $1) as indexed,
            (select count(*)::int from unindexed_embeddings where model = $1) as unindexed,
            to_regclass($2) is not null as "hasIndex"`,
    [model, hnswIndexName(model)],
  );
  return counts!;
}

/**
 * Moves up to `limit` of a model's vectors from `unindexed_embeddings` into `embeddings`, in
 * the order of their hashes; returns how many it moved. The batch is a range of the primary
 * key (up to its last hash), not a join nor a list: the planner's statistics are those of the
 * last ANALYZE, at the end of the run before when this table was empty (PGlite has no
 * autovacuum; server Postgres's comes late). Believing the batch one row, it ran the batch's
 * query again for each vector moved, or compared each vector with the whole list: a cost that
 * grew with the square of the run (1,000 pages: 250 s on PGlite, 80 s on server Postgres).
 */
async function moveUnindexed(transaction: Queryable, model: string, limit: number): Promise<number> {
  const [result] = await transaction.query<{ moved: number }>(
    `with moved as (
       delete from unindexed_embeddings u
       where u.model = $1 and u.content_hash <= (
         select max(content_hash) from (
           select content_hash from unindexed_embeddings where model = $1 order by content_hash limit $2
         ) batch
       )
       returning u.model, u.content_hash, u.embedding, u.sparse_embedding, u.meaning, u.created_at
     ), inserted as (
       insert into embeddings (model, content_hash, embedding, sparse_embedding, meaning, created_at)
       select model, content_hash, embedding, sparse_embedding, meaning, created_at from moved
       on conflict (model, content_hash) do nothing
     )
     select count(*)::int as moved from moved`,
    [model, limit],
  );
  return result!.moved;
}

/**
 * Models' meaning dimensions (EmbeddingModelRecord.meaningDimensions), read once per model
 * id: registerModel refuses an id again with others, so they never change once registered.
 * One per repository, as a database's models are its own.
 */
export class ModelMeanings {
  private readonly known = new Map<string, number | null>();

  async of(database: Queryable, model: string): Promise<number | null> {
    const known = this.known.get(model);
    if (known !== undefined) return known;
    const [record] = await database.query<{ meaningDimensions: number | null }>(
      'select meaning_dimensions as "meaningDimensions" from embedding_models where id = $1',
      [model],
    );
    // An unregistered model stores nothing (the insert's foreign key fails): not remembered.
    if (!record) return null;
    if (this.known.size >= 1000) this.known.clear();
    this.known.set(model, record.meaningDimensions);
    return record.meaningDimensions;
  }
}

export class EmbeddingsRepository {
  private readonly meanings = new ModelMeanings();

  constructor(
    private readonly database: Database,
    private readonly targets: VectorTargets = new VectorTargets(database, defaultVectorIndexing(database.runtime)),
  ) {}

  /**
   * Registers a model (idempotent) and creates its partial HNSW index on
   * `embedding::vector(dimensions)` (on `sparse_embedding::sparsevec(dimensions)` for a
   * sparse model; on `meaning::vector(meaningDimensions)` for a model whose first
   * dimensions are a meaning part, Embedder.meaningDimensions), unless a run of this Store
   * dropped it to write straight into `embeddings` (VectorTargets: the run's end builds it).
   * The first model of a database becomes active.
   */
  async registerModel(
    id: string,
    dimensions: number,
    vectorType: VectorType = 'vector',
    meaningDimensions?: number,
  ): Promise<EmbeddingModelRecord> {
    if (!modelIdPattern.test(id)) throw invalidModelId(id);
    if (
      meaningDimensions !== undefined &&
      !(Number.isInteger(meaningDimensions) && meaningDimensions >= 1 && meaningDimensions <= Math.min(2000, dimensions - 1))
    ) {
      throw new CairnError(
        'invalid_embedding_model',
        `Embedding model ${id} has a meaning part of ${meaningDimensions} dimensions; it takes 1 to ${Math.min(2000, dimensions - 1)}`,
        { details: { model: id, dimensions, meaningDimensions } },
      );
    }
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > maxDimensions[vectorType]) {
      throw new CairnError(
        'invalid_embedding_model',
        `Embedding model ${id} has ${dimensions} dimensions; the HNSW index of a ${vectorType} takes 1 to ${maxDimensions[vectorType]}`,
        { details: { model: id, dimensions } },
      );
    }
    return this.database.transaction(async (transaction) => {
      await transaction.query(
        `insert into embedding_models (id, dimensions, vector_type, meaning_dimensions, status, activated_at)
         select $1, $2, $3, $4::int, case when exists (select 1 from embedding_models where status = 'active') then 'building' else 'active' end,
                case when exists (select 1 from embedding_models where status = 'active') then null else now() end
         on conflict (id) do nothing`,
        [id, dimensions, vectorType, meaningDimensions ?? null],
      );
      const [model] = await transaction.query<EmbeddingModelRecord>(`select ${modelColumns} from embedding_models where id = $1`, [id]);
      if (model!.vectorType !== vectorType) {
        throw new CairnError(
          'embedding_dimensions_mismatch',
          `Embedding model ${id} is registered with ${model!.vectorType} vectors, not ${vectorType}`,
          { details: { model: id, registered: model!.vectorType, vectorType } },
        );
      }
      if (model!.dimensions !== dimensions) {
        throw new CairnError(
          'embedding_dimensions_mismatch',
          `Embedding model ${id} is registered with ${model!.dimensions} dimensions, not ${dimensions}`,
          {
            details: { model: id, registered: model!.dimensions, dimensions },
          },
        );
      }
      if (model!.meaningDimensions !== (meaningDimensions ?? null)) {
        throw new CairnError(
          'embedding_dimensions_mismatch',
          `Embedding model ${id} is registered with a meaning part of ${model!.meaningDimensions ?? 'no'} dimensions, not ${meaningDimensions ?? 'none'}`,
          { details: { model: id, registered: model!.meaningDimensions, meaningDimensions: meaningDimensions ?? null } },
        );
      }
      // A model whose run writes its vectors straight into `embeddings` gets its index at the run's end (VectorTargets).
      if (!this.targets.isDirect(id)) await transaction.exec(createHnswIndex(id, dimensions, vectorType, model!.meaningDimensions));
      return model!;
    });
  }

  async findModel(id: string): Promise<EmbeddingModelRecord | undefined> {
    const rows = await this.database.query<EmbeddingModelRecord>(`select ${modelColumns} from embedding_models where id = $1`, [id]);
    return rows[0];
  }

  /** Makes `id` the model that search reads, retiring the one before it. */
  async activate(id: string): Promise<void> {
    await this.database.transaction(async (transaction) => {
      await transaction.query(`update embedding_models set status = 'retired' where status = 'active' and id <> $1`, [id]);
      await transaction.query(`update embedding_models set status = 'active', activated_at = now() where id = $1`, [id]);
    });
  }

  /** The model search reads. */
  async activeModel(): Promise<EmbeddingModelRecord | undefined> {
    const rows = await this.database.query<EmbeddingModelRecord>(`select ${modelColumns} from embedding_models where status = 'active'`);
    return rows[0];
  }

  /**
   * Passages (one per distinct text) that have no vector for `model` yet, with what their
   * embedded text is built from: heading, text, author, source and the sentence that
   * situates the passage in its page (`context`, null when it was embedded without one).
   */
  async missing(
    model: string,
    limit: number,
  ): Promise<{ contentHash: string; heading: string; text: string; author: string | null; source: string; context: string | null }[]> {
    return this.database.query(
      `select distinct on (c.content_hash) c.content_hash as "contentHash", c.heading, c.text, d.author, s.name as source, c.context
       from chunks c
       join documents d on d.id = c.document_id
       join sources s on s.id = c.source_id
       where not exists (select 1 from embeddings e where e.model = $1 and e.content_hash = c.content_hash)
         and not exists (select 1 from unindexed_embeddings u where u.model = $1 and u.content_hash = c.content_hash)
       order by c.content_hash
       limit $2`,
      [model, limit],
    );
  }

  /**
   * Stores vectors of `model` for texts that passages have (a text already embedded, or that
   * no passage has any more, is left out; see VectorIndexing and insertVectors), in one
   * transaction that holds the texts' locks (lockVectorHashes) against a page removing them.
   */
  async insert(model: string, vectors: ReadonlyMap<string, EmbeddingVector>): Promise<void> {
    const meaningDimensions = await this.meanings.of(this.database, model);
    const indexing = await this.targets.indexingFor(model, vectors.size);
    await this.database.transaction(async (transaction) => {
      await lockVectorHashes(transaction, [...vectors.keys()], this.database.runtime);
      await insertVectors(transaction, indexing, model, vectors, meaningDimensions);
    });
  }

  /**
   * How many vectors of each model wait outside their HNSW index: in `unindexed_embeddings`,
   * and on PGlite in `embeddings` while the model has no index (VectorTargets, or a build cut
   * short: all the model's vectors then).
   */
  async countUnindexed(): Promise<Map<string, number>> {
    return new Map([...(await this.waiting())].map(([model, { unindexed, unbuilt }]) => [model, unindexed + unbuilt]));
  }

  /**
   * Of each model with vectors outside its index: how many are in `unindexed_embeddings`, and
   * (PGlite) how many in `embeddings` with no index. On server Postgres a model without its
   * index is most likely another worker's rebuild under way (the index dropped, the build not
   * committed); registerModel builds a missing one at the next run's start.
   */
  private async waiting(): Promise<Map<string, { unindexed: number; unbuilt: number }>> {
    const unbuilt =
      this.database.runtime === 'pglite'
        ? `union all
           select m.id, 0, (select count(*) from embeddings e where e.model = m.id)
           from embedding_models m where to_regclass(${hnswIndexNameSql('m.id')}) is null`
        : '';
    const rows = await this.database.query<{ model: string; unindexed: number; unbuilt: number }>(
      `select model, sum(unindexed)::int as unindexed, sum(unbuilt)::int as unbuilt from (
         select model, count(*) as unindexed, 0 as unbuilt from unindexed_embeddings group by model
         ${unbuilt}
       ) w
       group by model having sum(unindexed) + sum(unbuilt) > 0 order by model`,
    );
    return new Map(rows.map(({ model, unindexed, unbuilt }) => [model, { unindexed, unbuilt }]));
  }

  /**
   * Moves every unindexed vector into `embeddings` and so into its model's HNSW index. When
   * they number at least REBUILD_SHARE of the vectors indexed already (a first ingest, a
   * re-embedding), the index is dropped and the vectors moved in one short transaction, then
   * the index is built over all the model's vectors in a second: while it builds, writes to
   * `embeddings` wait but searches do not (they scan the model's vectors exactly meanwhile),
   * and should the build not finish, registerModel builds it at the next run's start (and on
   * PGlite the next call of this, at the next run's end or the next start). Otherwise they
   * are inserted into the index `batchSize` at a time, one transaction each, so that
   * searches on PGlite's one connection get their turn between batches. On PGlite a model with vectors in
   * `embeddings` but no index (written there directly, VectorTargets; or a build cut short)
   * gets it built. Called when an ingestion run ends; until then search scans them exactly.
   * `vectors` counts those that were outside the index (for a model without its index, all
   * of its vectors).
   */
  async indexPending(options: { batchSize?: number } = {}): Promise<{ model: string; vectors: number; rebuilt: boolean }[]> {
    const batchSize = options.batchSize ?? 100;
    const indexed = this.targets.endRun();
    try {
      return await this.indexWaiting(batchSize);
    } finally {
      indexed();
    }
  }

  /** indexPending's work. */
  private async indexWaiting(batchSize: number): Promise<{ model: string; vectors: number; rebuilt: boolean }[]> {
    const moved: { model: string; vectors: number; rebuilt: boolean }[] = [];
    for (const [model, { unindexed, unbuilt }] of await this.waiting()) {
      let vectors = 0;
      // Decided once, by the first transaction: whether to rebuild the index.
      let rebuilt: boolean | undefined;
      for (let done = unindexed === 0; !done;) {
        const step = await this.database.transaction(async (transaction) => {
          // Two runs ending together index a model's vectors one after the other. `no key
          // update` leaves alone the key-share locks that inserts take for their foreign key.
          await transaction.query('select 1 from embedding_models where id = $1 for no key update', [model]);
          let rebuild = false;
          let limit = batchSize;
          if (rebuilt === undefined) {
            const { indexed, unindexed } = await countVectors(transaction, model);
            if (unindexed === 0) return { vectors: 0, rebuild: false, done: true };
            rebuild = unindexed >= indexed * REBUILD_SHARE;
            if (rebuild) limit = unindexed;
          }
          if (rebuild) await transaction.exec(`drop index if exists ${hnswIndexName(model)}`);
          const vectors = await moveUnindexed(transaction, model, limit);
          return { vectors, rebuild, done: rebuild || vectors < limit };
        });
        if (step.rebuild) await this.buildIndex(model);
        vectors += step.vectors;
        rebuilt ??= step.rebuild;
        done = step.done;
      }
      if (unbuilt > 0) {
        if (!rebuilt) await this.buildIndex(model);
        vectors += unbuilt;
        rebuilt = true;
      }
      if (vectors > 0) moved.push({ model, vectors, rebuilt: rebuilt ?? false });
    }
    return moved;
  }

  /** Builds a model's HNSW index over its vectors, unless it exists (see indexPending). */
  private async buildIndex(model: string): Promise<void> {
    await this.database.transaction(async (transaction) => {
      const [record] = await transaction.query<{ dimensions: number; vectorType: VectorType; meaningDimensions: number | null }>(
        'select dimensions, vector_type as "vectorType", meaning_dimensions as "meaningDimensions" from embedding_models where id = $1 for no key update',
        [model],
      );
      await transaction.exec(createHnswIndex(model, record!.dimensions, record!.vectorType, record!.meaningDimensions));
    });
  }

  /** The stored vectors of `model` for the given content hashes (the embedding cache). */
  async findCached(model: string, hashes: readonly string[]): Promise<Map<string, EmbeddingVector>> {
    if (hashes.length === 0) return new Map();
    const vectorText = 'coalesce(embedding::text, sparse_embedding::text)';
    // One lookup of the primary key per hash (a vector is in one table or the other). With
    // `content_hash = any(...)`, a planner whose statistics are older than the run (see
    // indexPending) read every vector of the model and compared each with the list: on
    // server Postgres, a scan of the whole unindexed table for each page.
    const rows = await this.database.query<{ contentHash: string; embedding: string }>(
      `select h.content_hash as "contentHash", v.embedding
       from unnest($2::text[]) as h(content_hash)
       cross join lateral (
         select ${vectorText} as embedding from embeddings where model = $1 and content_hash = h.content_hash
         union all
         select ${vectorText} from unindexed_embeddings where model = $1 and content_hash = h.content_hash
         limit 1
       ) v`,
      [model, [...new Set(hashes)]],
      // Once a page in flight: on PGlite's one connection, parsed once (as findState).
      { prepared: this.database.runtime === 'pglite' },
    );
    return new Map(rows.map((row) => [row.contentHash, embeddingFromSql(row.embedding)]));
  }
}
