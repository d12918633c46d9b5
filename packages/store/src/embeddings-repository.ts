import { createHash } from 'node:crypto';
import pgvector from 'pgvector';
import type { Database } from './database.js';

export interface EmbeddingModelRecord {
  id: string;
  dimensions: number;
  status: 'building' | 'active' | 'retired';
}

const modelIdPattern = /^[A-Za-z0-9._:/-]{1,100}$/;

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
    if (!modelIdPattern.test(id)) throw new Error(`Embedding model id ${JSON.stringify(id)} has characters outside [A-Za-z0-9._:/-]`);
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
