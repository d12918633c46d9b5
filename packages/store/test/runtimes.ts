import { testRuntimes } from '@cairn/testing';
import { PgliteDatabase, PostgresDatabase, Store, migrate, type Database, type VectorIndexing } from '../src/index.js';

/** The two runtimes every contract suite runs against (`testRuntimes`), each opened as a migrated Store. */
export const runtimes = testRuntimes.map((runtime) => ({
  name: runtime.name,
  async open(options: { vectorIndexing?: VectorIndexing } = {}): Promise<{ store: Store; close(): Promise<void> }> {
    const created = await runtime.create();
    const database: Database = created.databaseUrl
      ? await PostgresDatabase.open(created.databaseUrl)
      : await PgliteDatabase.open(undefined);
    await migrate(database);
    const store = new Store(database, options);
    return {
      store,
      async close() {
        await store.close();
        await created.drop();
      },
    };
  },
}));

/** A unit vector with weight on the given axes (deterministic test vectors). */
export function axisVector(dimensions: number, axes: Record<number, number>): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [axis, weight] of Object.entries(axes)) vector[Number(axis)] = weight;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
