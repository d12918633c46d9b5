import { Command } from 'commander';
import { loadConfig } from '@cairn/core';
import { startServer } from '@cairn/api';

export const serveCommand = new Command('serve')
  .description('Start the API (the starter corpus is loaded into an empty database unless CAIRN_STARTER_CORPUS=off)')
  .option('--host <host>', 'address to bind (default: HOST or 127.0.0.1)')
  .option('--port <port>', 'port to listen on (default: PORT or 3000)')
  .action(async (options: { host?: string; port?: string }) => {
    const config = loadConfig({ ...process.env, ...(options.host ? { HOST: options.host } : {}), ...(options.port ? { PORT: options.port } : {}) });
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
  });
