import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnError, packageDirectory } from '@cairn/core';
import type { Database } from './database.js';

/** `migrations/` at the top of the repository. */
export const defaultMigrationsDirectory = join(packageDirectory('@cairn/store'), '..', '..', 'migrations') + '/';

/** The advisory lock every migrator takes, so that only one applies at a time. */
export const migrationLockKey = 0x63616972; // "cair"

const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export function readMigrations(directory = defaultMigrationsDirectory): Migration[] {
  const migrations = readdirSync(directory)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = fileNamePattern.exec(file);
      if (!match)
        throw new CairnError('migration_invalid', `Migration file ${file} is not named NNNN_verb_noun.sql`, { details: { file } });
      const sql = readFileSync(`${directory}/${file}`, 'utf8');
      return { version: Number(match[1]), name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (index > 0 && migration.version === migrations[index - 1]!.version) {
      throw new CairnError('migration_invalid', `Two migrations share version ${migration.version}`, {
        details: { version: migration.version },
      });
    }
  });
  return migrations;
}

/**
 * Applies each pending migration once, in order, each in its own transaction, while
 * holding an advisory lock: concurrent migrators wait, then find nothing left to do.
 * An applied migration whose file has changed stops the run (migrations are forward-only).
 */
export async function migrate(
  database: Database,
  options: { directory?: string; log?: (line: string) => void } = {},
): Promise<MigrationResult> {
  const migrations = readMigrations(options.directory);
  return database.session(async (connection) => {
    const [attempt] = await connection.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [migrationLockKey]);
    if (!attempt?.locked) {
      options.log?.('another migrator holds the migration lock; waiting for it to finish');
      await connection.query('select pg_advisory_lock($1)', [migrationLockKey]);
    }
    try {
      await connection.exec(`create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
      const rows = await connection.query<{ version: number; name: string; checksum: string }>(
        'select version, name, checksum from schema_migrations order by version',
      );
      const applied = new Map(rows.map((row) => [row.version, row]));
      const result: MigrationResult = { applied: [], alreadyApplied: 0 };
      for (const migration of migrations) {
        const previous = applied.get(migration.version);
        if (previous) {
          if (previous.checksum !== migration.checksum) {
            throw new CairnError(
              'migration_changed',
              `Migration ${migration.name} changed after it was applied; add a new migration instead`,
              { details: { migration: migration.name } },
            );
          }
          result.alreadyApplied += 1;
          continue;
        }
        await connection.exec('begin');
        try {
          await connection.exec(migration.sql);
          await connection.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
            migration.version,
            migration.name,
            migration.checksum,
          ]);
          await connection.exec('commit');
        } catch (error) {
          await connection.exec('rollback').catch(() => undefined);
          throw new CairnError(
            'migration_failed',
            `Migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
            {
              cause: error,
              details: { migration: migration.name },
            },
          );
        }
        options.log?.(`applied ${migration.name}`);
        result.applied.push(migration.name);
      }
      return result;
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    }
  });
}

/** The migrations not yet applied (for /readyz). */
export async function pendingMigrations(database: Database, directory?: string): Promise<string[]> {
  const migrations = readMigrations(directory);
  const rows = await database.query<{ version: number }>('select version from schema_migrations').catch((error: unknown) => {
    if ((error as { code?: string }).code === '42P01') return [];
    throw error;
  });
  const applied = new Set(rows.map((row) => row.version));
  return migrations.filter((migration) => !applied.has(migration.version)).map((migration) => migration.name);
}
