import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { pgliteMemorySettings, pgliteSharedBuffers, vectorSessionSettings } from './database.js';

/** The bytes of the files under a directory. */
function directoryBytes(directory: string): number {
  let bytes = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    bytes += entry.isDirectory() ? directoryBytes(path) : entry.isFile() ? statSync(path).size : 0;
  }
  return bytes;
}

/**
 * The tables and indexes a data directory holds besides the system catalogs: its largest
 * database (`base/<oid>`, Cairn's) less its smallest (a template, catalogs alone); other
 * entries of `base/` (`pgsql_tmp`, temporary files) are not databases. 0 for a directory not
 * yet created, or one that cannot be read: an estimate, which never stops a start.
 */
export function pgliteDataBytes(dataDir: string): number {
  try {
    const base = join(dataDir, 'base');
    if (!existsSync(base)) return 0;
    const sizes = readdirSync(base, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name))
      .map((entry) => directoryBytes(join(base, entry.name)));
    return sizes.length < 2 ? 0 : Math.max(...sizes) - Math.min(...sizes);
  } catch {
    return 0;
  }
}

/**
 * PGlite's options: the directory (or memory), the seed, pgvector and the memory settings
 * (the buffer pool, in MB, sized to the data unless given).
 */
export function pgliteOptions(
  dataDir: string | undefined,
  seed: Blob | undefined,
  sharedBuffers = pgliteSharedBuffers(dataDir ? pgliteDataBytes(dataDir) : 0),
): PGliteOptions {
  const settings = [`shared_buffers=${sharedBuffers}MB`, ...pgliteMemorySettings];
  return {
    ...(dataDir ? { dataDir } : {}),
    ...(seed ? { loadDataDir: seed } : {}),
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, ...settings.flatMap((setting) => ['-c', setting])],
  };
}

/**
 * Parameters of pgvector's types given as a Uint8Array are sent in binary (PGlite's wire
 * protocol sends any byte array so), which its receive functions read without parsing a
 * value (embeddingToBinary); anything else as text, as PGlite sends a type it has no
 * serializer for. node-postgres sends a byte array in binary of itself.
 */
async function sendVectorsInBinary(client: PGlite): Promise<void> {
  const { rows } = await client.query<{ oid: number }>(
    `select oid from pg_type where typname in ('vector', 'sparsevec', 'halfvec')
       and typnamespace = (select extnamespace from pg_extension where extname = 'vector')`,
  );
  for (const { oid } of rows) client.serializers[oid] = (value: unknown) => (value instanceof Uint8Array ? value : String(value)) as string;
}

/**
 * Opens PGlite (pgliteOptions) ready for Cairn: pgvector created, the vector session
 * settings applied and its vectors sent in binary (sendVectorsInBinary); closed again if any
 * of it fails. In this thread or in PGlite's own.
 */
export async function openPglite(dataDir: string | undefined, seed: Blob | undefined, sharedBuffers?: number): Promise<PGlite> {
  const client = await PGlite.create(pgliteOptions(dataDir, seed, sharedBuffers));
  try {
    await client.exec('create extension if not exists vector;');
    await client.exec(vectorSessionSettings);
    await sendVectorsInBinary(client);
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
