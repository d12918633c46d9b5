import { Command } from 'commander';
import { loadConfig } from '@cairn/core';
import { migrate, openDatabase } from '@cairn/store';
import { emit } from '../output.js';

export const migrateCommand = new Command('migrate')
  .description('Apply pending database migrations (the server and other commands also do this at start)')
  .option('--json', 'print the result as JSON')
  .action(async (options: { json?: boolean }) => {
    const config = loadConfig();
    const database = await openDatabase(config);
    try {
      // Progress goes to stderr, so that --json output stays one document on stdout.
      const result = await migrate(database, { log: (line) => process.stderr.write(`${line}\n`) });
      emit(Boolean(options.json), result, () =>
        result.applied.length > 0
          ? `Applied ${result.applied.join(', ')}.`
          : `Nothing to apply: ${result.alreadyApplied} migrations already applied.`,
      );
    } finally {
      await database.close();
    }
  });
