import { createHash, type Hash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageDirectory } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import { PgliteDatabase, Store, type Queryable } from '@cairn/store';

/**
 * A fresh embedded database with the starter corpus already in it, made once per
 * installation (`npm ci`, the root `prepare` script) so that the first `npm start` unpacks
 * it (about a second) instead of creating a database and ingesting the notes (initdb in
 * WebAssembly, then chunking and embedding 35 notes: ten seconds and more on two cores).
 *
 * A snapshot is keyed by everything that decides what it holds: the code that chunks,
 * analyses, embeds and stores (the workspace's sources), the migrations, the notes, the
 * embedding model and the PGlite version. A key that matches no file means the plain path:
 * nothing stale is ever loaded, it is only slower.
 */

const repositoryRoot = join(packageDirectory('@cairn/runtime'), '..', '..');
/** Where snapshots are kept: the installation's cache, beside the word-vector table. */
export const snapshotDirectory = join(repositoryRoot, 'node_modules', '.cache', 'cairn');

const isSource = (path: string) => /\.(ts|sql|md|json)$/.test(path) && !/\.test\.ts$/.test(path);

function files(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(directory, entry))
    .filter((path) => isSource(path) && statSync(path).isFile());
}

/** PGlite's and its pgvector extension's versions (a dump holds the extension as it was made). */
function hashPgliteVersions(hash: Hash): void {
  for (const name of ['pglite', 'pglite-pgvector']) {
    const manifest = join(repositoryRoot, 'node_modules', '@electric-sql', name, 'package.json');
    if (existsSync(manifest)) hash.update(readFileSync(manifest));
  }
}

/** The inputs' SHA-256: every source file of the workspace's packages and ingest, the migrations, the notes. */
export function starterSnapshotKey(embeddingModel: string): string {
  const packagesDirectory = join(repositoryRoot, 'packages');
  const directories = [
    ...readdirSync(packagesDirectory).flatMap((name) => [join(packagesDirectory, name, 'src'), join(packagesDirectory, name, 'notes')]),
    join(repositoryRoot, 'ingest', 'src'),
    join(repositoryRoot, 'migrations'),
  ];
  const hash = createHash('sha256').update(`starter-snapshot 1\0${embeddingModel}\0`);
  hashPgliteVersions(hash);
  for (const file of directories.flatMap(files).sort()) hash.update(relative(repositoryRoot, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 24);
}

export function starterSnapshotPath(embeddingModel: string): string {
  return join(snapshotDirectory, `starter-${embeddingModel}-${starterSnapshotKey(embeddingModel)}.tar.gz`);
}

/** The snapshot's path for this code and model, if one was made. */
export function findStarterSnapshot(embeddingModel: string): string | undefined {
  const path = starterSnapshotPath(embeddingModel);
  return existsSync(path) ? path : undefined;
}

/**
 * Makes the snapshot for `embedder` (nothing to do when it exists): an in-memory database,
 * migrated, with the starter corpus and the default sources, dumped. Returns its path.
 */
export async function buildStarterSnapshot(embedder: Embedder): Promise<{ path: string; built: boolean }> {
  const path = starterSnapshotPath(embedder.model);
  if (existsSync(path)) return { path, built: false };
  // Loaded here, not at the top: the API's start reads this module's paths before it loads
  // the rest of the code (open-store.ts), and ingestion is most of what it would load.
  const { ensureDefaultSources, loadStarterCorpus } = await import('@cairn/ingest');
  const store = await Store.open({});
  try {
    await loadStarterCorpus(store, embedder);
    await ensureDefaultSources(store);
    await store.documents.refreshStatistics();
    if (!(store.database instanceof PgliteDatabase)) throw new Error('a starter snapshot is made on PGlite');
    writeAtomically(path, Buffer.from(await (await store.database.dump()).arrayBuffer()));
    return { path, built: true };
  } finally {
    await store.close();
  }
}

/**
 * The empty snapshot: a database with every migration applied and nothing else, for a new
 * data directory that does not start from the starter snapshot (CAIRN_STARTER_CORPUS=off, a
 * model the starter snapshot was not made with). Creating a database runs initdb in
 * WebAssembly, whose peak is about 780 MiB of resident memory; unpacking this is a second
 * and stays under the start's budget. Keyed by the migrations, the store's code and the
 * PGlite version, as the starter snapshot is.
 */
export function emptySnapshotKey(): string {
  const hash = createHash('sha256').update('empty-snapshot 1\0');
  hashPgliteVersions(hash);
  const directories = [join(repositoryRoot, 'packages', 'store', 'src'), join(repositoryRoot, 'migrations')];
  for (const file of directories.flatMap(files).sort()) hash.update(relative(repositoryRoot, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 24);
}

export function emptySnapshotPath(): string {
  return join(snapshotDirectory, `empty-${emptySnapshotKey()}.tar.gz`);
}

/** The empty snapshot's path for this code, if one was made. */
export function findEmptySnapshot(): string | undefined {
  const path = emptySnapshotPath();
  return existsSync(path) ? path : undefined;
}

/** Makes the empty snapshot (nothing to do when it exists): an in-memory database, migrated, dumped. */
export async function buildEmptySnapshot(): Promise<{ path: string; built: boolean }> {
  const path = emptySnapshotPath();
  if (existsSync(path)) return { path, built: false };
  const store = await Store.open({});
  try {
    if (!(store.database instanceof PgliteDatabase)) throw new Error('an empty snapshot is made on PGlite');
    writeAtomically(path, Buffer.from(await (await store.database.dump()).arrayBuffer()));
    return { path, built: true };
  } finally {
    await store.close();
  }
}

function writeAtomically(path: string, contents: Buffer): void {
  mkdirSync(snapshotDirectory, { recursive: true });
  const staging = `${path}.${process.pid}.tmp`;
  writeFileSync(staging, contents);
  renameSync(staging, path);
}

/**
 * Timestamps that belong to the text, not to this database's history: a note's publication
 * date is the same whenever and wherever it was loaded, so the clock leaves it alone.
 */
const textDates = new Set(['documents.published_at']);

/**
 * Moves every timestamp of a database loaded from a snapshot forward by the time since the
 * snapshot was made, so that its notes read as added now (not at `npm ci`) and its run is
 * the first start's. Dates of the text itself (`textDates`) stay as written.
 */
export async function moveSnapshotClock(database: Queryable): Promise<void> {
  const columns = (
    await database.query<{ table: string; column: string }>(
      `select table_name as table, column_name as column from information_schema.columns
       where table_schema = current_schema() and data_type = 'timestamp with time zone'
       order by table_name, ordinal_position`,
    )
  ).filter(({ table, column }) => !textDates.has(`${table}.${column}`));
  const [{ latest } = { latest: null }] = await database.query<{ latest: Date | null }>(
    `select max(created_at) as latest from ingest_runs`,
  );
  if (!latest) return;
  const tables = new Map<string, string[]>();
  for (const { table, column } of columns) tables.set(table, [...(tables.get(table) ?? []), column]);
  for (const [table, names] of tables) {
    const assignments = names.map((name) => `"${name}" = "${name}" + (now() - $1::timestamptz)`).join(', ');
    await database.query(`update "${table}" set ${assignments}`, [latest]);
  }
}
