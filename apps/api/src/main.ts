// The API's entry point: `npm start` and `cairn serve` run this file. It reads the
// configuration, starts the server and closes it cleanly on SIGTERM or SIGINT.
import { parseArgs } from 'node:util';
import { CairnError, ConfigError, loadConfig, processEnvironment } from '@cairn/core';
import { startServer } from './server.js';

const usage = `Usage: node apps/api/bin/cairn-api.js [--host HOST] [--port PORT]

Starts the Cairn API (the starter corpus is loaded into an empty database unless
CAIRN_STARTER_CORPUS=off). Configuration comes from the environment: see README.md.`;

function readOptions(): { host?: string | undefined; port?: string | undefined } {
  const { values } = parseArgs({
    options: { host: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return values;
}

/**
 * Started by `cairn serve` with an IPC channel: when that process dies, so does this one,
 * the way it died (a `kill -9` of `cairn serve` is a crash of the server, not a clean stop).
 */
function followParent(): void {
  if (!process.send) return;
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}

async function main(): Promise<void> {
  followParent();
  const options = readOptions();
  const config = loadConfig({
    ...processEnvironment(),
    ...(options.host ? { HOST: options.host } : {}),
    ...(options.port ? { PORT: options.port } : {}),
  });
  const server = await startServer(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    server.app.log.info(`${signal}: finishing in-flight requests, then exiting`);
    const force = setTimeout(() => {
      server.app.log.error('shutdown took longer than 10 s; exiting now');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

try {
  await main();
} catch (error) {
  // Configuration and input problems are one clear line, not a stack trace.
  if (error instanceof ConfigError) {
    process.stderr.write(`cairn: configuration error: ${error.message}\n`);
    process.exit(2);
  }
  const message = error instanceof CairnError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`cairn: ${message}\n`);
  process.exit(1);
}
