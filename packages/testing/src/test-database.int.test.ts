import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './test-database.js';

describe('createTestDatabase', () => {
  it('creates a database of its own with pgvector available, and drops it', async () => {
    const database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const [row] = (
      await client.query(
        "select current_database() as name, (select count(*)::int from pg_available_extensions where name = 'vector') as vector",
      )
    ).rows;
    await client.end();
    expect(row.name).toMatch(/^cairn_test_\d+_[0-9a-f]{8}$/);
    expect(row.vector).toBe(1);
    await database.drop();
    const check = new pg.Client({ connectionString: database.url });
    await expect(check.connect()).rejects.toThrow(/does not exist/);
  });
});
