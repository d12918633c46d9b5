import type { Queryable } from './database.js';

/**
 * The sentences a chat model wrote to situate passages in their pages (CAIRN_PASSAGE_CONTEXT=llm),
 * by passage hash (the hash of the page title, heading path and text) and model: each is
 * generated once, and found again when the passage comes back unchanged (a re-crawl of an
 * edited page whose other sections stayed the same).
 */
export class PassageContextsRepository {
  constructor(private readonly database: Queryable) {}

  /** The stored sentences of `model` for these passage hashes, by hash (those without one are absent). */
  async find(model: string, passageHashes: readonly string[]): Promise<Map<string, string>> {
    if (passageHashes.length === 0) return new Map();
    const rows = await this.database.query<{ passageHash: string; context: string }>(
      `select passage_hash as "passageHash", context from passage_contexts where model = $1 and passage_hash = any($2::text[])`,
      [model, [...new Set(passageHashes)]],
    );
    return new Map(rows.map((row) => [row.passageHash, row.context]));
  }

  /** Stores sentences of `model` by passage hash; a passage that has one already keeps it. */
  async insert(model: string, contexts: ReadonlyMap<string, string>): Promise<void> {
    if (contexts.size === 0) return;
    await this.database.query(
      `insert into passage_contexts (passage_hash, model, context)
       select x.passage_hash, $1, x.context from jsonb_to_recordset($2::jsonb) as x(passage_hash text, context text)
       on conflict (passage_hash, model) do nothing`,
      [model, JSON.stringify([...contexts].map(([hash, context]) => ({ passage_hash: hash, context })))],
    );
  }

  /** How many sentences are stored for `model`. */
  async count(model: string): Promise<number> {
    const [row] = await this.database.query<{ count: number }>('select count(*)::int as count from passage_contexts where model = $1', [
      model,
    ]);
    return row!.count;
  }
}
