import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { pgliteMemorySettings } from './database.js';

/** PGlite's options: the directory (or memory), the seed, pgvector and the memory settings. */
export function pgliteOptions(dataDir: string | undefined, seed: Blob | undefined): PGliteOptions {
  return {
    ...(dataDir ? { dataDir } : {}),
    ...(seed ? { loadDataDir: seed } : {}),
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, ...pgliteMemorySettings.flatMap((setting) => ['-c', setting])],
  };
}
