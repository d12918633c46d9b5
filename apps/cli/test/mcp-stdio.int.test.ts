import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
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

describe('cairn mcp over stdio answers every line', () => {
  it('answers a line that is not JSON, not JSON-RPC, a batch or bad params with an error, and goes on serving', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-mcp-lines-'));
    const child = spawn(process.execPath, [bin, 'mcp'], {
      env: baseEnvironment({ CAIRN_DATA_DIR: dataDir, CAIRN_STARTER_CORPUS: 'on' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const replies: Record<string, unknown>[] = [];
    const waiting: (() => void)[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      replies.push(JSON.parse(line) as Record<string, unknown>);
      waiting.shift()?.();
    });
    /** Sends one line and waits for one line back (a reply to any line is the point of this test). */
    const exchange = async (line: string) => {
      const replied = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${line.slice(0, 60)}`)), 30_000);
        waiting.push(() => (clearTimeout(timer), resolve()));
      });
      child.stdin!.write(`${line}\n`);
      await replied;
      return replies.at(-1) as { id?: unknown; result?: unknown; error?: { code: number; message: string; data?: { code: string } } };
    };
    try {
      const initialize = await exchange(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'lines', version: '1' } },
        }),
      );
      expect(initialize.result).toBeDefined();
      child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      expect((await exchange('this is not json')).error).toMatchObject({ code: -32700, data: { code: 'invalid_json' } });
      // The id, where it is readable, comes back with the error, so the client's request ends.
      expect(await exchange('{"jsonrpc":"1.0","id":2,"method":"ping"}')).toMatchObject({ id: 2, error: { code: -32600 } });
      // A malformed notification or response gets no reply (JSON-RPC 2.0): the next reply is the ping's.
      child.stdin!.write('{"jsonrpc":"1.0","method":"notifications/whatever"}\n{"jsonrpc":"2.0","id":99,"error":"x"}\n');
      expect(await exchange('{"jsonrpc":"2.0","id":7,"method":"ping"}')).toMatchObject({ id: 7, result: {} });
      expect((await exchange('[{"jsonrpc":"2.0","id":3,"method":"ping"}]')).error).toMatchObject({ code: -32600 });
      expect((await exchange('{"jsonrpc":"2.0","id":1.5,"method":"ping"}')).error).toMatchObject({ code: -32600 });
      const nullArguments = await exchange(
        '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"search_passages","arguments":null}}',
      );
      expect(nullArguments).toMatchObject({
        id: 4,
        error: { code: -32602, message: expect.stringContaining('"arguments" must be an object') },
      });
      const badPrompt = await exchange(
        '{"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{"name":"thought_partner","arguments":{"situation":5}}}',
      );
      expect(badPrompt).toMatchObject({ id: 5, error: { code: -32602, message: expect.stringContaining('"situation" must be a string') } });
      // And a good call after all of it.
      const search = await exchange(
        '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"search_passages","arguments":{"query":"staff archetypes","k":2}}}',
      );
      expect(search).toMatchObject({ id: 6, result: { structuredContent: { results: expect.any(Array) } } });
      expect((search.result as { isError?: boolean }).isError ?? false).toBe(false);
    } finally {
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
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
