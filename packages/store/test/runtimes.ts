import { createTestDatabase } from '@cairn/testing';
import { PgliteDatabase, PostgresDatabase, Store, migrate, type Database, type VectorIndexing } from '../src/index.js';

/** The two runtimes every contract suite runs against. */
export const runtimes = [
  {
    name: 'pglite',
    async open(options: { vectorIndexing?: VectorIndexing } = {}): Promise<{ store: Store; close(): Promise<void> }> {
      const database = await PgliteDatabase.open(undefined);
      await migrate(database);
      const store = new Store(database, options);
      return { store, close: () => store.close() };
    },
  },
  {
    name: 'postgres',
    async open(options: { vectorIndexing?: VectorIndexing } = {}): Promise<{ store: Store; close(): Promise<void> }> {
      const testDatabase = await createTestDatabase();
      const database: Database = await PostgresDatabase.open(testDatabase.url);
      await migrate(database);
      const store = new Store(database, options);
      return {
        store,
        async close() {
          await store.close();
          await testDatabase.drop();
        },
      };
    },
  },
] as const;

/** A unit vector with weight on the given axes (deterministic test vectors). */
export function axisVector(dimensions: number, axes: Record<number, number>): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [axis, weight] of Object.entries(axes)) vector[Number(axis)] = weight;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
