import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The server Postgres the integration suites use. Tests never skip when it is missing:
 * they fail, naming this variable, so a CI without Postgres cannot pass by accident.
 */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface TestDatabase {
  /** The URL of a new, empty database with pgvector available. */
  url: string;
  /** Drops the database (forcibly closing any connection left open). */
  drop(): Promise<void>;
}

/** Creates a fresh database on the test server, so that test files never share state. */
export async function createTestDatabase(prefix = 'cairn_test'): Promise<TestDatabase> {
  const adminUrl = testDatabaseUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the test Postgres at TEST_DATABASE_URL=${adminUrl} (${(error as Error).message}). ` +
        'Start PostgreSQL with pgvector (bash .ci/run does) or point TEST_DATABASE_URL at one.',
      { cause: error },
    );
  }
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The Redis the queue suites use; like Postgres, a missing server fails the tests. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
}
