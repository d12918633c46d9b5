import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { testRuntimes } from '@cairn/testing';
import { baseEnvironment, freePort, request, startCairn, startServe, type CairnProcess } from './faults/services.js';

const bin = fileURLToPath(new URL('../bin/cairn.js', import.meta.url));
const question = 'What is the difference between a sponsor and a mentor?';
const adminKey = 'bootstrap-admin-key-for-mcp-stdio-0123';

function read(result: unknown) {
  const call = result as CallToolResult;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the tool answers
  return { isError: call.isError === true, text: (call.content[0] as { text: string }).text, structured: call.structuredContent as any };
}

/** `cairn mcp [args]` as a desktop client runs it: a child process spoken to over stdin and stdout. */
async function connectStdio(args: string[], environment: Record<string, string>) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', ...args], env: environment, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Anything on stdout that is not a protocol message reaches the client as an error.
  const protocolErrors: Error[] = [];
  const client = new Client({ name: 'cairn-stdio-test', version: '1.0.0' });
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  return { client, transport, protocolErrors, stderr: () => stderr };
}

/** Asks, then follows every citation of the answer to its page with get_document. */
async function askAndFollowCitations(client: Client) {
  const answer = read(await client.callTool({ name: 'ask_cairn', arguments: { question } }));
  expect(answer.isError, answer.text).toBe(false);
  expect(answer.structured.citations.length).toBeGreaterThan(0);
  for (const citation of answer.structured.citations as { chunkId: string; quote: string; title: string }[]) {
    const page = read(await client.callTool({ name: 'get_document', arguments: { id: citation.chunkId } }));
    expect(page.structured.title).toBe(citation.title);
    const section = page.structured.sections.find((candidate: { chunkId: string }) => candidate.chunkId === citation.chunkId);
    expect(section.text).toContain(citation.quote);
  }
  return answer;
}

describe('cairn mcp --help', () => {
  it('documents the command, the relay and a desktop client config', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'mcp', '--help'], { env: baseEnvironment({}) });
    expect(stdout).toMatch(/^Usage: cairn mcp \[options\]/);
    expect(stdout).toContain('--url <url>');
    expect(stdout).toContain('"mcpServers"');
  }, 60_000);
});

describe.each(testRuntimes)('cairn mcp over stdio on $name', (testRuntime) => {
  let connection: Awaited<ReturnType<typeof connectStdio>>;
  let dataDir: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-mcp-stdio-'));
    const created = await testRuntime.create();
    drop = created.drop;
    const database = created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : { CAIRN_DATA_DIR: dataDir };
    connection = await connectStdio([], baseEnvironment({ ...database, CAIRN_STARTER_CORPUS: 'on' }));
  }, 120_000);

  afterAll(async () => {
    await connection?.client.close();
    await drop?.();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('serves every tool to the local user, searches, and answers with citations that get_document resolves', async () => {
    const { client } = connection;
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'ask_cairn',
      'get_document',
      'get_ingest_run',
      'list_sources',
      'search_passages',
      'start_ingest_run',
    ]);
    const search = read(await client.callTool({ name: 'search_passages', arguments: { query: 'staff engineer archetypes', k: 3 } }));
    expect(search.structured.results).toHaveLength(3);
    expect(search.structured.results[0]).toMatchObject({ author: 'Will Larson', url: expect.stringMatching(/^https:\/\//) });
    await askAndFollowCitations(client);
    const run = read(await client.callTool({ name: 'get_ingest_run', arguments: { runId: '6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11' } }));
    expect(run).toMatchObject({ isError: true, text: expect.stringMatching(/^run_not_found: /) });
    // Only protocol messages on stdout; the command's own lines on stderr.
    expect(connection.protocolErrors).toEqual([]);
    expect(connection.stderr()).toMatch(/cairn mcp: serving MCP on stdio \(database: (PGlite in \S+|server Postgres)/);
  }, 120_000);
});

describe('cairn mcp beside a running API on the embedded database', () => {
  let dataDir: string;
  let server: CairnProcess | undefined;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-mcp-relay-'));
    const served = await startServe(baseEnvironment({ CAIRN_DATA_DIR: dataDir, CAIRN_STARTER_CORPUS: 'on', CAIRN_ADMIN_KEY: adminKey }));
    server = served.process;
    url = served.url;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await server?.kill();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('refuses to open the database the API holds, and names --url', async () => {
    const local = startCairn(['mcp'], baseEnvironment({ CAIRN_DATA_DIR: dataDir, PORT: new URL(url).port }));
    const exit = await local.exited;
    expect(exit.code, local.output()).toBe(2);
    expect(local.output()).toMatch(
      new RegExp(
        String.raw`^cairn: configuration error: CAIRN_DATA_DIR: the embedded database in \S+ is open in another process: pid \d+ \(node \S*apps/api/bin/cairn-api\.js\), most likely a running Cairn API.*` +
          String.raw`cairn mcp --url http://127\.0\.0\.1:${new URL(url).port}`,
        'm',
      ),
    );
  }, 60_000);

  it('relays to the API with --url, whose keys and scopes apply', async () => {
    const created = await fetch(`${url}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'desktop', scopes: ['ask'] }),
    });
    const { key } = (await created.json()) as { key: string };
    const asker = await connectStdio(['--url', url], baseEnvironment({ CAIRN_API_KEY: key }));
    clients.push(asker.client);
    expect((await asker.client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'ask_cairn',
      'get_document',
      'list_sources',
      'search_passages',
    ]);
    await askAndFollowCitations(asker.client);
    expect(read(await asker.client.callTool({ name: 'start_ingest_run', arguments: {} }))).toMatchObject({
      isError: true,
      text: expect.stringMatching(/^forbidden: /),
    });
    expect(asker.protocolErrors).toEqual([]);
    expect(asker.stderr()).toContain(`relaying MCP on stdio to ${url}/mcp with CAIRN_API_KEY`);

    const admin = await connectStdio([`--url=${url}/mcp`], baseEnvironment({ CAIRN_API_KEY: adminKey }));
    clients.push(admin.client);
    expect((await admin.client.listTools()).tools.map((tool) => tool.name)).toContain('start_ingest_run');
    // The API is still the one process on its database, and still answers.
    expect((await request(`${url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('passes the API’s refusal of a key on to the client', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp', '--url', url],
      env: baseEnvironment({ CAIRN_API_KEY: 'cairn_not-a-real-key-at-all-000000000000' }),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'cairn-stdio-test', version: '1.0.0' });
    clients.push(client);
    await expect(client.connect(transport)).rejects.toThrow(/The API key is unknown or revoked/);
  }, 60_000);

  it('says so at once when nothing answers at --url', async () => {
    const port = await freePort();
    const relay = startCairn(['mcp', '--url', `http://127.0.0.1:${port}`], baseEnvironment({}));
    expect((await relay.exited).code).toBe(1);
    expect(relay.output()).toMatch(
      new RegExp(String.raw`^cairn: nothing answers at http://127\.0\.0\.1:${port} \(ECONNREFUSED\): start the API`, 'm'),
    );
    const bad = startCairn(['mcp', '--url', 'ftp://example.com'], baseEnvironment({}));
    expect((await bad.exited).code).toBe(2);
    expect(bad.output()).toMatch(/^cairn: configuration error: --url: expects the http\(s\) URL of a running Cairn API/m);
  }, 60_000);
});
