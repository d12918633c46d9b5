import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationLockKey, readMigrations } from '@cairn/store';
import { createTestDatabase, type TestDatabase } from '@cairn/testing';
import { baseEnvironment, seconds, sleep, startCairn } from './services.js';

/** Five `cairn migrate` processes started at once on an empty database: exactly one applies. */
describe('fault: five migrators at once', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('cairn_faults_migrate');
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
  });

  it('applies every migration exactly once, and every migrator exits 0', async () => {
    const migrations = readMigrations();
    // A gate, so that the five are truly at once (process start-up takes seconds, and
    // varies): the test holds the migrators' lock until all five are waiting for it.
    const gate = new pg.Client({ connectionString: database.url });
    await gate.connect();
    await gate.query('select pg_advisory_lock($1)', [migrationLockKey]);
    const migrators = Array.from({ length: 5 }, () => startCairn(['migrate', '--json'], baseEnvironment({ DATABASE_URL: database.url })));
    const waiting = async () =>
      Number(
        (
          await gate.query<{ count: string }>("select count(*) from pg_locks where locktype = 'advisory' and not granted and objid = $1", [
            migrationLockKey,
          ])
        ).rows[0]!.count,
      );
    const deadline = Date.now() + 90_000;
    while ((await waiting()) < 5) {
      if (Date.now() > deadline)
        throw new Error(
          `the five migrators did not all reach the lock:\n${migrators.map((migrator) => migrator.output()).join('\n---\n')}`,
        );
      if (migrators.some((migrator) => !migrator.alive()))
        throw new Error(`a migrator exited early:\n${migrators.map((migrator) => migrator.output()).join('\n---\n')}`);
      await sleep(50);
    }
    const released = Date.now();
    await gate.query('select pg_advisory_unlock($1)', [migrationLockKey]);
    await gate.end();
    const exits = await Promise.all(migrators.map((migrator) => migrator.exited));
    const elapsed = Date.now() - released;
    const outputs = migrators.map((migrator) => migrator.output());
    expect(
      exits.map((exit) => exit.code),
      outputs.join('\n---\n'),
    ).toEqual([0, 0, 0, 0, 0]);

    const results = outputs.map(
      (output) =>
        JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)) as { applied: string[]; alreadyApplied: number },
    );
    const appliers = results.filter((result) => result.applied.length > 0);
    expect(appliers).toHaveLength(1);
    expect(appliers[0]!.applied).toEqual(migrations.map((migration) => migration.name));
    for (const result of results.filter((result) => result.applied.length === 0)) expect(result.alreadyApplied).toBe(migrations.length);
    expect(outputs.filter((output) => /another migrator holds the migration lock/.test(output))).toHaveLength(5);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = (await client.query<{ version: number; name: string }>('select version, name from schema_migrations order by version'))
        .rows;
      expect(rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
      // The schema is whole: the tables of the first migration exist once.
      const tables = (
        await client.query<{ count: string }>(
          "select count(*) from information_schema.tables where table_schema = 'public' and table_name = 'chunks'",
        )
      ).rows[0]!;
      expect(Number(tables.count)).toBe(1);
    } finally {
      await client.end();
    }
    console.log(
      `migrators: 5 waiting on the advisory lock at once; 1 applied ${appliers[0]!.applied.length} migration(s), 4 found nothing to apply; all exited 0 within ${seconds(elapsed)} of the lock's release`,
    );
  }, 120_000);
});
