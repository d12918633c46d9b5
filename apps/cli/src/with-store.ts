import { loadConfig } from '@cairn/core';
import { migrate, openDatabase, Store } from '@cairn/store';

/**
 * Runs `work` against the configured database (DATABASE_URL, or the embedded one under
 * CAIRN_DATA_DIR), migrated, then closes it: for commands that read or change records without
 * the rest of the runtime (no embedder, no starter corpus).
 */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await migrate(database, { log: () => undefined });
    return await work(new Store(database));
  } finally {
    await database.close();
  }
}
