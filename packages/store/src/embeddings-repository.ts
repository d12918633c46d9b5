import { createHash } from 'node:crypto';
import pgvector from 'pgvector';
import type { Database } from './database.js';

export interface EmbeddingModelRecord {
  id: string;
  dimensions: number;
  status: 'building' | 'active' | 'retired';
}

const modelIdPattern = /^[A-Za-z0-9._:/@-]{1,100}$/;

/** The name of a model's partial HNSW index. */
export function hnswIndexName(model: string): string {
  return `embeddings_hnsw_${createHash('sha256').update(model).digest('hex').slice(0, 16)}`;
}

export class EmbeddingsRepository {
  constructor(private readonly database: Database) {}

  /**
   * Registers a model (idempotent) and creates its partial HNSW index on
   * `embedding::vector(dimensions)`. The first model of a database becomes active.
   */
  async registerModel(id: string, dimensions: number): Promise<EmbeddingModelRecord> {
    if (!modelIdPattern.test(id)) throw new Error(`Embedding model id ${JSON.stringify(id)} has characters outside [A-Za-z0-9._:/@-]`);
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2000) {
      throw new Error(`Embedding model ${id} has ${dimensions} dimensions; the HNSW index takes 1 to 2000`);
    }
    return this.database.transaction(async (transaction) => {
      await transaction.query(
        `insert into embedding_models (id, dimensions, status, activated_at)
         select $1, $2, case when exists (select 1 from embedding_models where status = 'active') then 'building' else 'active' end,
                case when exists (select 1 from embedding_models where status = 'active') then null else now() end
         on conflict (id) do nothing`,
        [id, dimensions],
      );
      const [model] = await transaction.query<EmbeddingModelRecord>('select id, dimensions, status from embedding_models where id = $1', [id]);
      if (model!.dimensions !== dimensions) {
        throw new Error(`Embedding model ${id} is registered with ${model!.dimensions} dimensions, not ${dimensions}`);
      }
      // The id is checked against modelIdPattern above, so it is safe inside a literal.
      await transaction.exec(
        `create index if not exists ${hnswIndexName(id)} on embeddings using hnsw ((embedding::vector(${dimensions})) vector_cosine_ops)
         where model = '${id}'`,
      );
      return model!;
    });
  }

  async findModel(id: string): Promise<EmbeddingModelRecord | undefined> {
    const rows = await this.database.query<EmbeddingModelRecord>('select id, dimensions, status from embedding_models where id = $1', [id]);
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
    const rows = await this.database.query<EmbeddingModelRecord>(`select id, dimensions, status from embedding_models where status = 'active'`);
    return rows[0];
  }

  /** Passages (one per distinct text) that have no vector for `model` yet, with the text to embed. */
  async missing(model: string, limit: number): Promise<{ contentHash: string; heading: string; text: string }[]> {
    return this.database.query(
      `select distinct on (c.content_hash) c.content_hash as "contentHash", c.heading, c.text
       from chunks c
       where not exists (select 1 from embeddings e where e.model = $1 and e.content_hash = c.content_hash)
       order by c.content_hash
       limit $2`,
      [model, limit],
    );
  }

  /** Stores vectors of `model` (a text already embedded is left as it is). */
  async insert(model: string, vectors: ReadonlyMap<string, number[]>): Promise<void> {
    if (vectors.size === 0) return;
    await this.database.query(
      `insert into embeddings (model, content_hash, embedding)
       select $1, x.content_hash, x.embedding::vector from jsonb_to_recordset($2::jsonb) as x(content_hash text, embedding text)
       on conflict (model, content_hash) do nothing`,
      [model, JSON.stringify([...vectors].map(([hash, vector]) => ({ content_hash: hash, embedding: pgvector.toSql(vector) })))],
    );
  }

  /** The stored vectors of `model` for the given content hashes (the embedding cache). */
  async findCached(model: string, hashes: readonly string[]): Promise<Map<string, number[]>> {
    if (hashes.length === 0) return new Map();
    const rows = await this.database.query<{ contentHash: string; embedding: string }>(
      'select content_hash as "contentHash", embedding::text as embedding from embeddings where model = $1 and content_hash = any($2::text[])',
      [model, [...new Set(hashes)]],
    );
    return new Map(rows.map((row) => [row.contentHash, pgvector.fromSql(row.embedding) as number[]]));
  }
}
