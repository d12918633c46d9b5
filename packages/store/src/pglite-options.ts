import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { pgliteMemorySettings, vectorSessionSettings } from './database.js';

/** PGlite's options: the directory (or memory), the seed, pgvector and the memory settings. */
export function pgliteOptions(dataDir: string | undefined, seed: Blob | undefined): PGliteOptions {
  return {
    ...(dataDir ? { dataDir } : {}),
    ...(seed ? { loadDataDir: seed } : {}),
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, ...pgliteMemorySettings.flatMap((setting) => ['-c', setting])],
  };
}

/**
 * Opens PGlite (pgliteOptions) ready for Cairn: pgvector created and the vector session
 * settings applied; closed again if either fails. In this thread or in PGlite's own.
 */
export async function openPglite(dataDir: string | undefined, seed: Blob | undefined): Promise<PGlite> {
  const client = await PGlite.create(pgliteOptions(dataDir, seed));
  try {
    await client.exec('create extension if not exists vector;');
    await client.exec(vectorSessionSettings);
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
