import { createTestDatabase } from './test-database.js';

/** A database runtime for contract suites: `databaseUrl` undefined means embedded PGlite (in memory). */
export interface TestRuntime {
  name: 'pglite' | 'postgres';
  create(): Promise<{ databaseUrl: string | undefined; drop(): Promise<void> }>;
}

/** Both runtimes, for `describe.each(testRuntimes)`: every integration suite runs on each. */
export const testRuntimes: TestRuntime[] = [
  { name: 'pglite', create: async () => ({ databaseUrl: undefined, drop: async () => undefined }) },
  {
    name: 'postgres',
    async create() {
      const database = await createTestDatabase();
      return { databaseUrl: database.url, drop: database.drop };
    },
  },
];
