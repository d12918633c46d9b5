import { contentHash } from '@cairn/core';
import { keywordWeights } from '@cairn/text';
import { testRuntimes } from '@cairn/testing';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultMigrationsDirectory,
  PgliteDatabase,
  PostgresDatabase,
  Store,
  migrate,
  type ChunkInput,
  type Database,
  type DocumentInput,
  type VectorIndexing,
} from '../src/index.js';

/**
 * The two runtimes every contract suite runs against (`testRuntimes`), each opened as a migrated Store;
 * PGlite in its own thread (PgliteThread), as the server runs it.
 */
export const runtimes = testRuntimes.map((runtime) => ({
  name: runtime.name,
  async open(
    options: { vectorIndexing?: VectorIndexing; exactDenseMaxPassages?: number; memoryMaxPassages?: number; timeZone?: string } = {},
  ): Promise<{ store: Store; close(): Promise<void>; databaseUrl: string | undefined }> {
    const created = await runtime.create();
    // A session time zone other than the server's default: every connection of the pool (a
    // startup option), or PGlite's one session.
    const url = created.databaseUrl && options.timeZone ? withTimeZone(created.databaseUrl, options.timeZone) : created.databaseUrl;
    const database: Database = url ? await PostgresDatabase.open(url) : await PgliteDatabase.open(undefined, { thread: true });
    if (!url && options.timeZone) await database.exec(`set timezone = '${options.timeZone.replace(/'/g, "''")}'`);
    await migrate(database);
    const store = new Store(database, options);
    return {
      store,
      databaseUrl: url,
      async close() {
        await store.close();
        await created.drop();
      },
    };
  },
}));

/** A connection string whose sessions start in `timeZone` (libpq's `options` parameter, which node-postgres reads). */
function withTimeZone(databaseUrl: string, timeZone: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c timezone=${timeZone}`);
  return url.toString();
}

/** A unit vector with weight on the given axes (deterministic test vectors). */
export function axisVector(dimensions: number, axes: Record<number, number>): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [axis, weight] of Object.entries(axes)) vector[Number(axis)] = weight;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** A one-heading chunk of `text` (its hash, its keyword weights), for tests that store documents. */
export function testChunk(ordinal: number, text: string): ChunkInput {
  return {
    ordinal,
    headingPath: ['Doc'],
    heading: 'Doc',
    anchor: null,
    text,
    tokenCount: 3,
    contentHash: contentHash(text),
    keywords: keywordWeights('', text),
  };
}

/** A document at `https://<host>/<locator>` with a fresh content hash. */
export function testDocument(sourceId: string, locator: string, host: string) {
  return {
    sourceId,
    locator,
    url: `https://${host}/${locator}`,
    kind: 'article' as const,
    title: locator,
    author: null,
    publishedAt: null,
    topics: [],
    frameworks: [],
    etag: null,
    lastModified: null,
    contentHash: contentHash(`${locator}-${Math.random()}`),
  };
}

/**
 * Stores vectors that no passage has (orphans), as a page changed mid-write or a source left
 * them before; EmbeddingsRepository.insert refuses them, so this writes the table itself.
 */
export async function insertOrphanVectors(
  database: Database,
  model: string,
  vectors: ReadonlyMap<string, number[]>,
  table: 'embeddings' | 'unindexed_embeddings' = 'unindexed_embeddings',
): Promise<void> {
  for (const [hash, vector] of vectors)
    await database.query(`insert into ${table} (model, content_hash, embedding) values ($1, $2, $3::vector)`, [
      model,
      hash,
      `[${vector.join(',')}]`,
    ]);
}

/**
 * 500 pages of 20 passages each (10,000 chunks, texts 'chunk doc-N n', hashes md5 of the
 * locator and ordinal) in a source named `bulk`, written in two statements, without vectors:
 * the corpus the plan tests at 10,000 chunks fill with vectors of their own.
 */
export async function insertBulkPassages(store: Store): Promise<void> {
  const { id: sourceId } = await store.sources.upsert({ name: 'bulk', kind: 'web', baseUrl: 'https://bulk.test/' });
  await store.database.query(
    `insert into documents (source_id, locator, url, title, content_hash)
     select $1, 'doc-' || d, 'https://bulk.test/' || d, 'Doc ' || d, md5(d::text) from generate_series(1, 500) as d`,
    [sourceId],
  );
  await store.database.query(
    `insert into chunks (document_id, source_id, ordinal, text, token_count, content_hash)
     select d.id, $1, n, 'chunk ' || d.locator || ' ' || n, 3, md5(d.locator || '/' || n)
     from documents d, generate_series(1, 20) as n`,
    [sourceId],
  );
}

/** A directory holding a copy of the migrations named before `before` (a migration's file name or its number). */
export function earlierMigrations(before: string): string {
  const earlier = mkdtempSync(join(tmpdir(), 'cairn-migrations-'));
  for (const file of readdirSync(defaultMigrationsDirectory).filter((name) => name.endsWith('.sql') && name < before))
    cpSync(join(defaultMigrationsDirectory, file), join(earlier, file));
  return `${earlier}/`;
}

/** A page of a source as DocumentInput, with plain defaults (an article by Will Larson, its hash from the locator), `overrides` applied. */
export function documentInput(sourceId: string, locator: string, overrides: Partial<DocumentInput> = {}): DocumentInput {
  return {
    sourceId,
    locator,
    url: `https://example.test/${locator}`,
    kind: 'article',
    title: `Title of ${locator}`,
    author: 'Will Larson',
    publishedAt: null,
    topics: [],
    frameworks: [],
    etag: null,
    lastModified: null,
    contentHash: contentHash(locator),
    ...overrides,
  };
}
