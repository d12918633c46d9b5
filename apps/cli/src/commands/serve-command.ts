import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Command } from 'commander';
import { apiNodeFlags, loadConfig, packageDirectory, processEnvironment, withApiMallocSettings } from '@cairn/core';

/**
 * The API's own launcher: `cairn serve` runs the API app, it does not import it (the
 * compiled runtime when current, else the sources through tsx: scripts/runtime.mjs).
 */
export const apiMain = join(packageDirectory('@cairn/api'), 'bin', 'cairn-api.js');

export const serveCommand = new Command('serve')
  .description('Start the API (the starter corpus is loaded into an empty database unless CAIRN_STARTER_CORPUS=off)')
  .option('--host <host>', 'address to bind (default: HOST or 127.0.0.1)')
  .option('--port <port>', 'port to listen on (default: PORT or 3000)')
  .action(async (options: { host?: string; port?: string }) => {
    const environment = {
      ...processEnvironment(),
      ...(options.host ? { HOST: options.host } : {}),
      ...(options.port ? { PORT: options.port } : {}),
    };
    // A bad setting is reported here, as by every other command, before anything starts.
    loadConfig(environment);
    // The API runs as a child with an IPC channel: it exits with this process, however this
    // process ends, and this process ends as the API does.
    const child = spawn(process.execPath, [...apiNodeFlags, apiMain], {
      env: withApiMallocSettings(environment),
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1)));
    });
    process.exit(code);
  });
