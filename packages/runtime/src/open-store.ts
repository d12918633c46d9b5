import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CairnConfig } from '@cairn/core';
import { pgliteDirectory, Store } from '@cairn/store';
import { findEmptySnapshot, findStarterSnapshot } from './starter-snapshot.js';

/** What openRuntimeStore reads of OpenRuntimeOptions. */
export interface OpenStoreOptions {
  log?: ((line: string) => void) | undefined;
  loadStarter?: boolean | undefined;
  starterSnapshot?: boolean | undefined;
}

/**
 * The starter snapshot (see starter-snapshot.ts) a new embedded data directory starts from,
 * where the first start would otherwise load the starter corpus with a local model exactly as
 * the snapshot did; undefined otherwise, and then the notes are loaded as ever.
 */
function starterSeed(config: CairnConfig, options: OpenStoreOptions): string | undefined {
  if (config.databaseUrl || !config.dataDir || !config.starterCorpus || options.loadStarter === false || options.starterSnapshot === false)
    return undefined;
  if (config.passageContext === 'llm' || !config.embeddingModel.startsWith('local-')) return undefined;
  if (existsSync(join(pgliteDirectory(config.dataDir), 'PG_VERSION'))) return undefined;
  return findStarterSnapshot(config.embeddingModel);
}

/**
 * The empty snapshot (a migrated database; see starter-snapshot.ts) a new embedded data
 * directory starts from when the starter snapshot is not for it, so that no start runs initdb.
 */
function emptySeed(config: CairnConfig): string | undefined {
  if (config.databaseUrl || !config.dataDir) return undefined;
  if (existsSync(join(pgliteDirectory(config.dataDir), 'PG_VERSION'))) return undefined;
  return findEmptySnapshot();
}

/** A store as openRuntimeStore opened it. */
export interface RuntimeStore {
  store: Store;
  /**
   * The seed offered to a new data directory was the starter snapshot: when the store says it
   * was seeded (`store.database.seeded`), it holds the starter corpus.
   */
  starterSnapshot: boolean;
}

/**
 * The configured store, opened and migrated: server Postgres, or PGlite in the data
 * directory (seeded from a snapshot when new). openRuntime calls it; the API calls it first
 * of all and hands the promise to openRuntime (OpenRuntimeOptions.store), so that PGlite
 * starts in its thread (about 0.8 s) while this thread loads the rest of the code. This module
 * loads only the store's code for that reason.
 */
export async function openRuntimeStore(config: CairnConfig, options: OpenStoreOptions = {}): Promise<RuntimeStore> {
  const starter = starterSeed(config, options);
  const store = await Store.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log: options.log ?? (() => undefined),
    seed: starter ?? emptySeed(config),
    pgliteThread: config.pgliteThread,
  });
  return { store, starterSnapshot: starter !== undefined };
}
