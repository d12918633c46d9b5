import { Command, CommanderError } from 'commander';
import { CairnError, ConfigError, debugEnabled } from '@cairn/core';
import { askCommand } from './commands/ask-command.js';
import { benchCommand } from './commands/bench-command.js';
import { evalCommand } from './commands/eval-command.js';
import { ingestCommand } from './commands/ingest-command.js';
import { keysCommand } from './commands/keys-command.js';
import { mcpCommand } from './commands/mcp-command.js';
import { migrateCommand } from './commands/migrate-command.js';
import { searchCommand } from './commands/search-command.js';
import { serveCommand } from './commands/serve-command.js';
import { sourcesCommand } from './commands/sources-command.js';
import { workerCommand } from './commands/worker-command.js';

const program = new Command('cairn')
  .description('Cairn: a thought partner for engineering leaders, grounded in cited sources.')
  .version('0.1.0')
  .addHelpText('after', '\nConfiguration comes from the environment (DATABASE_URL, CAIRN_DATA_DIR, PORT, ...): see README.md.')
  .addCommand(serveCommand)
  .addCommand(workerCommand)
  .addCommand(askCommand)
  .addCommand(searchCommand)
  .addCommand(ingestCommand)
  .addCommand(sourcesCommand)
  .addCommand(evalCommand)
  .addCommand(migrateCommand)
  .addCommand(keysCommand)
  .addCommand(mcpCommand)
  .addCommand(benchCommand)
  .exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  // Configuration and input problems are one clear line, not a stack trace.
  if (error instanceof ConfigError) {
    process.stderr.write(`cairn: configuration error: ${error.message}\n`);
    process.exit(2);
  }
  const message = error instanceof CairnError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`cairn: ${message}\n`);
  if (debugEnabled() && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}
