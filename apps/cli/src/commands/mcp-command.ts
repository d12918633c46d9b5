import { Command } from 'commander';
import { CairnError, ConfigError, loadConfig, type CairnConfig } from '@cairn/core';
import {
  bridgeStdioToHttp,
  CheckedStdioServerTransport,
  createCairnMcpServer,
  mcpEndpoint,
  mcpServicesFromRuntime,
  networkCause,
} from '@cairn/mcp';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { DataDirInUseError } from '@cairn/store';

const log = (line: string) => process.stderr.write(`cairn mcp: ${line}\n`);

/**
 * stdout carries the protocol and nothing else: whatever a library prints with console.log
 * goes to stderr, with the command's own lines.
 */
function keepStdoutForProtocol(): void {
  const toStderr = (...parts: unknown[]) => console.error(...parts);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

/** Resolves when the client goes away (stdin ends) or the process is asked to stop. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    process.stdin.once('end', () => resolve('the client closed stdin'));
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => resolve(signal));
  });
}

/** The embedded database is another process's (a running API, most likely): say how to reach it instead. */
function heldElsewhere(error: DataDirInUseError, config: CairnConfig): ConfigError {
  const holder = error.holder ? `: pid ${error.holder.pid} (${error.holder.command})` : '';
  return new ConfigError(
    'CAIRN_DATA_DIR',
    `the embedded database in ${config.dataDir} is open in another process${holder}, most likely a running Cairn API, and it takes one process at a time. ` +
      `Serve MCP through that API: \`cairn mcp --url http://127.0.0.1:${config.port}\` (with CAIRN_API_KEY when it has keys); or stop it, or set DATABASE_URL to a server Postgres that both can use.`,
  );
}

async function serveLocally(config: CairnConfig): Promise<void> {
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config, { answers: true, log });
  } catch (error) {
    throw error instanceof DataDirInUseError ? heldElsewhere(error, config) : error;
  }
  const services = mcpServicesFromRuntime(runtime, {
    log: (level, message, error) => log(`${level}: ${message}${error instanceof Error ? ` (${error.message})` : ''}`),
  });
  // The local user's own process, like the rest of the CLI: every tool, admin ones included.
  const server = createCairnMcpServer(services, { scopes: 'all', trigger: 'cli' });
  const stopped = untilStopped();
  try {
    // Every line answered, malformed ones too, as /mcp over HTTP answers them (CheckedStdioServerTransport).
    await server.connect(new CheckedStdioServerTransport());
    const database = config.databaseUrl ? 'server Postgres' : `PGlite in ${config.dataDir}`;
    log(`serving MCP on stdio (database: ${database}; answers: ${runtime.chatModel?.model ?? 'extractive'})`);
    log(`stopping: ${await stopped}`);
  } finally {
    await server.close().catch(() => undefined);
    await runtime.close();
  }
}

async function relay(config: CairnConfig, url: string): Promise<void> {
  let endpoint: URL;
  try {
    endpoint = mcpEndpoint(url);
    if (!['http:', 'https:'].includes(endpoint.protocol)) throw new Error('not http');
  } catch {
    throw new ConfigError(
      '--url',
      `expects the http(s) URL of a running Cairn API, such as http://127.0.0.1:3000 (got ${JSON.stringify(url)})`,
    );
  }
  // Nothing to relay to is said at once, not at the client's first message.
  try {
    await fetch(new URL('/healthz', endpoint), { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new CairnError(
      'not_ready',
      `nothing answers at ${endpoint.origin} (${networkCause(error)}): start the API (cairn serve, or npm start), or pass the URL it listens on with --url`,
    );
  }
  log(
    `relaying MCP on stdio to ${endpoint.href}${config.apiKey ? ' with CAIRN_API_KEY' : ' (no CAIRN_API_KEY: the API must run without keys)'}`,
  );
  await Promise.race([bridgeStdioToHttp({ endpoint, apiKey: config.apiKey, log }), untilStopped()]);
}

export const mcpCommand = new Command('mcp')
  .description('Serve Cairn to AI assistants over the Model Context Protocol on stdio (for desktop clients such as Claude Desktop)')
  .option(
    '--url <url>',
    'relay to the MCP endpoint of a running Cairn API (such as http://127.0.0.1:3000) instead of opening the database; its key comes from CAIRN_API_KEY',
  )
  .addHelpText(
    'after',
    `
stdout carries only protocol messages; everything else goes to stderr.

Without --url, this process opens the database (the embedded one in CAIRN_DATA_DIR, or
DATABASE_URL) with every tool, admin ones included. The embedded database takes one process
at a time: while the API runs on it, use --url to go through the API (its keys, scopes and
limits apply). Results are held to CAIRN_MCP_MAX_TOKENS tokens (default 8000).

Claude Desktop (claude_desktop_config.json; absolute paths, as the client's working directory is its own):
  {"mcpServers": {"cairn": {"command": "node", "args": ["/path/to/cairn/apps/cli/bin/cairn.js", "mcp"],
                            "env": {"CAIRN_DATA_DIR": "/path/to/cairn/.cairn"}}}}`,
  )
  .action(async (options: { url?: string }) => {
    keepStdoutForProtocol();
    const config = loadConfig();
    if (options.url !== undefined) await relay(config, options.url);
    else await serveLocally(config);
    process.exit(0);
  });
