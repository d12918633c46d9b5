import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { estimateTokens, loadConfig } from '@cairn/core';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { startFixtureSite, testRuntimes, waitFor, type FixtureSite } from '@cairn/testing';
import { buildApp } from '../src/index.js';

const adminKey = 'bootstrap-admin-key-for-mcp-0123456789';
const question = 'What is the difference between a sponsor and a mentor?';

/** What a tool call returned: its text, structured content and error code, for assertions. */
function read(result: unknown) {
  const call = result as CallToolResult;
  const text = call.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the tool answers
  const structured = call.structuredContent as any;
  const error = (call._meta?.['cairn/error'] as { code: string } | undefined)?.code;
  return { isError: call.isError === true, text, structured, error };
}

/** A response's JSON body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever /mcp answers
const json = async (response: Response): Promise<any> => response.json();

describe.each(testRuntimes)('MCP over Streamable HTTP at /mcp on $name', (testRuntime) => {
  let app: FastifyInstance;
  let runtime: Runtime;
  let drop: () => Promise<void>;
  let site: FixtureSite;
  let endpoint: URL;
  const clients: Client[] = [];

  /** A new API key with these scopes: each test its own, so that rate limits (RATE_LIMIT_MAX=40) count apart. */
  const newKey = async (scopes: ('ask' | 'admin')[]) =>
    (await runtime.store.apiKeys.create({ name: `mcp-${scopes.join('-')}`, scopes })).key;

  async function connect(key: string | undefined): Promise<Client> {
    const client = new Client({ name: 'cairn-test', version: '1.0.0' });
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    await client.connect(new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } }));
    clients.push(client);
    return client;
  }

  /** A raw POST to /mcp, as a client written outside the SDK would send it. */
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${adminKey}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
        ...headers,
      },
      body,
    });

  beforeAll(async () => {
    site = await startFixtureSite();
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({
      CAIRN_ADMIN_KEY: adminKey,
      RATE_LIMIT_MAX: '40',
      RATE_LIMIT_ASK_MAX: '3',
      CAIRN_MCP_MAX_TOKENS: '4000',
      INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
      INGEST_MAX_CRAWL_DELAY_MS: '0',
      ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}),
    });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = new URL(`${address}/mcp`);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await app?.close();
    await runtime?.close();
    await site?.close();
    await drop?.();
  });

  it('lists the tools a key may call, each with a description, input and output schema; the resources and the prompt', async () => {
    const asker = await connect(await newKey(['ask']));
    const { tools } = await asker.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['ask_cairn', 'get_document', 'list_sources', 'search_passages']);
    for (const tool of tools) {
      expect(tool.description!.length, tool.name).toBeGreaterThan(150);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    const admin = await connect(adminKey);
    expect((await admin.listTools()).tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['start_ingest_run', 'get_ingest_run']),
    );
    expect(admin.getServerVersion()).toMatchObject({ name: 'cairn' });

    const { resources } = await asker.listResources();
    expect(resources.map((resource) => resource.uri)).toContain('cairn://sources/starter-notes');
    const notes = await asker.readResource({ uri: 'cairn://sources/starter-notes' });
    const text = (notes.contents[0] as { text: string }).text;
    expect(text).toMatch(/^# Source starter-notes\n/);
    expect(text).toMatch(
      /- Staff archetypes[^\n]*: https:\/\/staffeng\.com\/guides\/staff-archetypes\/ \(id [0-9a-f-]{36}, \d+ passages\)/,
    );
    await expect(asker.readResource({ uri: 'cairn://sources/nothing-here' })).rejects.toThrow(/No source is named "nothing-here"/);

    const { prompts } = await asker.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(['thought_partner']);
    const prompt = await asker.getPrompt({ name: 'thought_partner', arguments: { situation: 'My platform team is always late.' } });
    const message = (prompt.messages[0]!.content as { text: string }).text;
    // The persona of packages/answer, as answers use it, not a copy.
    expect(message).toContain(runtime.persona!.slice(0, 400));
    expect(message).toMatch(/search_passages[\s\S]*My situation:\nMy platform team is always late\.$/);
  });

  it('searches passages, each with its citation, dates and ranks, filtered by author', async () => {
    const client = await connect(await newKey(['ask']));
    const result = read(
      await client.callTool({ name: 'search_passages', arguments: { query: 'what are the staff engineer archetypes', k: 4 } }),
    );
    expect(result.isError).toBe(false);
    expect(result.structured).toMatchObject({
      query: 'what are the staff engineer archetypes',
      mode: 'hybrid',
      reranker: 'features-v1',
      truncation: null,
    });
    expect(result.structured.results).toHaveLength(4);
    expect(result.structured.results[0]).toMatchObject({
      rank: 1,
      title: expect.stringMatching(/archetypes/i),
      author: 'Will Larson',
      source: 'starter-notes',
      kind: 'note',
      url: expect.stringMatching(/^https:\/\//),
      ranks: { fused: expect.any(Number), reranked: 1 },
    });
    expect(result.structured.results.some((passage: { publishedAt: string | null }) => passage.publishedAt !== null)).toBe(true);
    expect(result.text).toContain(`Cite: ${result.structured.results[0].url}`);
    expect(result.text).toMatch(/<passage n="1" url="[^"]+">\n[\s\S]+?\n<\/passage>/);

    const hogan = read(await client.callTool({ name: 'search_passages', arguments: { query: 'feedback', k: 5, author: 'lara hogan' } }));
    expect(new Set(hogan.structured.results.map((passage: { author: string }) => passage.author))).toEqual(new Set(['Lara Hogan']));
    const none = read(await client.callTool({ name: 'search_passages', arguments: { query: 'feedback', source: 'no-such-source' } }));
    expect(none.structured.results).toEqual([]);
    expect(none.text).toMatch(/^No passages match "feedback" with these filters\.$/);
  });

  it('answers with citations that resolve with get_document, and continues the conversation by its id', async () => {
    const key = await newKey(['ask']);
    const client = await connect(key);
    const counted = async () =>
      Number(
        /cairn_retrieval_duration_seconds_count\{route="\/mcp"\} (\d+)/.exec(
          (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${adminKey}` } })).body,
        )?.[1] ?? 0,
      );
    const before = await counted();
    const answer = read(await client.callTool({ name: 'ask_cairn', arguments: { question } }));
    expect(answer.isError, answer.text).toBe(false);
    // Answers through MCP count at /metrics, as /v1/ask's do.
    expect(await counted()).toBe(before + 1);
    expect(answer.structured).toMatchObject({
      outcome: 'answered',
      mode: 'extractive',
      conversationId: expect.any(String),
      truncation: null,
    });
    expect(answer.structured.citations.length).toBeGreaterThan(0);
    expect(answer.text).toContain('Sources:\n[1] ');
    for (const citation of answer.structured.citations as { n: number; url: string; chunkId: string; quote: string; title: string }[]) {
      expect(answer.structured.answer).toContain(`[${citation.n}]`);
      const page = read(await client.callTool({ name: 'get_document', arguments: { id: citation.chunkId } }));
      expect(page.isError, page.text).toBe(false);
      expect(page.structured).toMatchObject({ title: citation.title, focusChunkId: citation.chunkId, status: 'active' });
      const section = page.structured.sections.find((candidate: { chunkId: string }) => candidate.chunkId === citation.chunkId);
      expect(section.text).toContain(citation.quote);
      // The URL a citation gives leads to the same page (or to another note on the same original, named in otherMatches).
      const byUrl = read(await client.callTool({ name: 'get_document', arguments: { url: citation.url } }));
      expect([byUrl.structured.id, ...byUrl.structured.otherMatches]).toContain(page.structured.id);
    }

    const followUp = read(
      await client.callTool({
        name: 'ask_cairn',
        arguments: { question: 'How do I do that for someone on my team?', conversationId: answer.structured.conversationId },
      }),
    );
    expect(followUp.isError, followUp.text).toBe(false);
    expect(followUp.structured.conversationId).toBe(answer.structured.conversationId);
    // Another key's conversation is not found, as on POST /v1/ask.
    const other = await connect(await newKey(['ask']));
    const foreign = read(
      await other.callTool({ name: 'ask_cairn', arguments: { question: 'And then?', conversationId: answer.structured.conversationId } }),
    );
    expect(foreign).toMatchObject({ isError: true, error: 'conversation_not_found' });
  });

  it('refuses bad arguments, unknown ids and tools with codes, never a protocol failure', async () => {
    const client = await connect(await newKey(['ask']));
    const call = async (name: string, args: Record<string, unknown>) => read(await client.callTool({ name, arguments: args }));
    expect(await call('search_passages', { query: '   ' })).toMatchObject({ isError: true, error: 'query_empty' });
    expect(await call('search_passages', { query: 'x'.repeat(2001) })).toMatchObject({ isError: true, error: 'query_too_long' });
    expect(await call('search_passages', { query: 'feedback\u0000' })).toMatchObject({ isError: true, error: 'invalid_text' });

    // Arguments outside the schema: the SDK's own validation error, as an isError result the model can correct.
    const badK = await call('search_passages', { query: 'feedback', k: 0 });
    expect(badK).toMatchObject({ isError: true, text: expect.stringMatching(/Input validation error[\s\S]*k/) });
    expect(await call('search_passages', { k: 3 })).toMatchObject({ isError: true, text: expect.stringMatching(/Input validation error/) });
    expect(await call('no_such_tool', {})).toMatchObject({ isError: true, text: expect.stringMatching(/Tool no_such_tool not found/) });
    const unknownId = '6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11';
    expect(await call('get_document', { id: unknownId })).toMatchObject({ isError: true, error: 'document_not_found' });
    expect(await call('get_document', { id: 'not-a-uuid' })).toMatchObject({ isError: true, error: 'document_not_found' });
    expect(await call('get_document', { url: 'https://example.com/never-ingested/' })).toMatchObject({
      isError: true,
      error: 'document_not_found',
    });
    expect(await call('get_document', {})).toMatchObject({ isError: true, error: 'invalid_request' });
    // Answers count against RATE_LIMIT_ASK_MAX=3 a key: two keys for these four.
    expect(await call('ask_cairn', { question: '' })).toMatchObject({ isError: true, error: 'question_empty' });
    expect(await call('ask_cairn', { question: 'q'.repeat(4001) })).toMatchObject({ isError: true, error: 'question_too_long' });
    const asker = await connect(await newKey(['ask']));
    const ask = async (args: Record<string, unknown>) => read(await asker.callTool({ name: 'ask_cairn', arguments: args }));
    expect(await ask({ question, conversationId: unknownId })).toMatchObject({ isError: true, error: 'conversation_not_found' });
    expect(await ask({ question, conversationId: '; drop table conversations' })).toMatchObject({
      isError: true,
      error: 'conversation_not_found',
    });
  });

  it('lists sources with counts and freshness, and hides the server paths of note directories', async () => {
    const client = await connect(await newKey(['ask']));
    const result = read(await client.callTool({ name: 'list_sources', arguments: {} }));
    const notes = result.structured.sources.find((source: { name: string }) => source.name === 'starter-notes');
    expect(notes).toMatchObject({ kind: 'directory', url: null, documents: 35, passages: expect.any(Number), stale: 0, vanished: 0 });
    expect(notes.newestFetch).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(notes.lastRun).toMatchObject({ status: 'succeeded' });
    expect(result.structured.sources.find((source: { name: string }) => source.name === 'lethain')).toMatchObject({
      url: 'https://lethain.com/',
      documents: 0,
      newestFetch: null,
    });
    expect(result.text).not.toContain('file://');
  });

  it('keeps the admin tools to admin keys: an ask key is refused with forbidden; an admin key ingests a page and follows the run', async () => {
    const asker = await connect(await newKey(['ask']));
    expect(read(await asker.callTool({ name: 'start_ingest_run', arguments: { source: 'lethain' } }))).toMatchObject({
      isError: true,
      error: 'forbidden',
      text: expect.stringMatching(/^forbidden: start_ingest_run needs an API key with the admin scope; this key has ask\.$/),
    });
    expect(read(await asker.callTool({ name: 'get_ingest_run', arguments: { runId: 'x' } }))).toMatchObject({
      isError: true,
      error: 'forbidden',
    });

    await runtime.store.sources.upsert({ name: 'fixture-blog', kind: 'web', baseUrl: `${site.url}/blog/`, crawlDelayMs: 0 });
    const admin = await connect(await newKey(['admin']));
    const page = `${site.url}/blog/giving-useful-feedback/`;
    const started = read(await admin.callTool({ name: 'start_ingest_run', arguments: { source: 'fixture-blog', url: page } }));
    expect(started.structured).toMatchObject({ status: 'queued', source: 'fixture-blog', url: page });
    const finished = await waitFor(
      async () => {
        const run = read(await admin.callTool({ name: 'get_ingest_run', arguments: { runId: started.structured.runId } }));
        return ['succeeded', 'failed'].includes(run.structured.status) ? run : undefined;
      },
      30_000,
      'the one-page run to end',
      250,
    );
    expect(finished.structured).toMatchObject({ status: 'succeeded', source: 'fixture-blog', counts: { fetched: 1 }, itemCount: 1 });
    expect(finished.structured.items[0]).toMatchObject({ url: page, outcome: 'changed' });

    // url#section reads the page around that section, each section with its url#anchor to cite.
    const document = read(await admin.callTool({ name: 'get_document', arguments: { url: `${page}#explain-the-impact` } }));
    expect(document.structured).toMatchObject({
      title: 'Giving feedback that lands',
      author: 'Lara Hogan',
      kind: 'article',
      source: 'fixture-blog',
    });
    const focus = document.structured.sections.find((section: { chunkId: string }) => section.chunkId === document.structured.focusChunkId);
    expect(focus).toMatchObject({
      url: `${page}#explain-the-impact`,
      text: expect.stringContaining('Then say what the observation caused'),
    });

    const unknownSource = read(await admin.callTool({ name: 'start_ingest_run', arguments: { source: 'nope' } }));
    expect(unknownSource).toMatchObject({ isError: true, error: 'source_not_found' });
    const outside = read(
      await admin.callTool({ name: 'start_ingest_run', arguments: { source: 'fixture-blog', url: 'https://elsewhere.example/' } }),
    );
    expect(outside).toMatchObject({ isError: true, error: 'invalid_request' });
    expect(read(await admin.callTool({ name: 'start_ingest_run', arguments: { url: page } }))).toMatchObject({
      isError: true,
      error: 'invalid_request',
    });
    const unknownRun = read(await admin.callTool({ name: 'get_ingest_run', arguments: { runId: '6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11' } }));
    expect(unknownRun).toMatchObject({ isError: true, error: 'run_not_found' });
  });

  it('holds every result to its token budget and says what it left out', async () => {
    const client = await connect(await newKey(['ask']));
    const search = read(
      await client.callTool({
        name: 'search_passages',
        arguments: { query: 'engineering manager feedback strategy', k: 50, maxTokens: 600 },
      }),
    );
    // Each of the text and the structured form within the budget (as estimateTokens counts, on the high side).
    expect(estimateTokens(search.text)).toBeLessThanOrEqual(600);
    expect(estimateTokens(JSON.stringify(search.structured))).toBeLessThanOrEqual(600);
    expect(search.structured.truncation).toMatchObject({ maxTokens: 600, what: expect.stringMatching(/of 50 passages were left out/) });
    expect(search.text).toMatch(/\[Truncated to stay within 600 tokens: .+\]$/);
    // The server's cap (CAIRN_MCP_MAX_TOKENS=4000) holds whatever a call asks for.
    const capped = read(
      await client.callTool({
        name: 'search_passages',
        arguments: { query: 'engineering manager feedback strategy', k: 50, maxTokens: 1_000_000 },
      }),
    );
    expect(capped.structured.truncation.maxTokens).toBe(4000);
    expect(estimateTokens(capped.text)).toBeLessThanOrEqual(4000);
    expect(estimateTokens(JSON.stringify(capped.structured))).toBeLessThanOrEqual(4000);

    const { structured } = read(
      await client.callTool({ name: 'search_passages', arguments: { query: 'staff engineer archetypes', k: 1 } }),
    );
    const page = read(await client.callTool({ name: 'get_document', arguments: { id: structured.results[0].documentId, maxTokens: 500 } }));
    expect(estimateTokens(page.text)).toBeLessThanOrEqual(500);
    expect(estimateTokens(JSON.stringify(page.structured))).toBeLessThanOrEqual(500);
    const answer = read(await client.callTool({ name: 'ask_cairn', arguments: { question, maxTokens: 800 } }));
    expect(estimateTokens(answer.text)).toBeLessThanOrEqual(800);
    expect(estimateTokens(JSON.stringify(answer.structured))).toBeLessThanOrEqual(800);
    expect(answer.structured.citations.every((citation: { url: string }) => citation.url.startsWith('https://'))).toBe(true);
    expect(page.structured.truncation).not.toBeNull();
    expect(page.structured.sectionCount).toBeGreaterThan(
      page.structured.sections.filter((section: { text: string | null }) => section.text).length,
    );
  });

  it('needs a key with the ask scope, answering in JSON-RPC with the Cairn code', async () => {
    await expect(connect(undefined)).rejects.toMatchObject({ code: 401 });
    await expect(connect('cairn_not-a-real-key-at-all-000000000000')).rejects.toThrow(/unauthorized|unknown or revoked/);
    const response = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { authorization: 'Bearer nope' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="cairn"');
    expect(await json(response)).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32000, data: { code: 'unauthorized', status: 401 } },
    });
  });

  it('rate-limits per key as the REST routes do: ask_cairn against RATE_LIMIT_ASK_MAX, the rest against RATE_LIMIT_MAX', async () => {
    const client = await connect(await newKey(['ask']));
    for (let index = 0; index < 3; index += 1)
      expect(read(await client.callTool({ name: 'ask_cairn', arguments: { question: `${question} (${index})` } })).isError).toBe(false);
    const limited = await client.callTool({ name: 'ask_cairn', arguments: { question } }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(StreamableHTTPError);
    expect(limited).toMatchObject({ code: 429, message: expect.stringMatching(/"code":"rate_limited"/) });
    // Searches count apart from answers.
    expect(read(await client.callTool({ name: 'search_passages', arguments: { query: 'feedback', k: 1 } })).isError).toBe(false);

    const key = await newKey(['ask']);
    const statuses: number[] = [];
    for (let index = 0; index < 45 && !statuses.includes(429); index += 1) {
      const response = await post(JSON.stringify({ jsonrpc: '2.0', id: index, method: 'tools/list' }), { authorization: `Bearer ${key}` });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expect((await json(response)).error).toMatchObject({ code: -32000, data: { code: 'rate_limited' } });
      } else await response.body?.cancel();
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(40);
    expect(statuses.at(-1)).toBe(429);
  });

  it('tells an invalid JSON-RPC envelope (-32600) and invalid tools/call params (-32602) in words, never a schema dump', async () => {
    const key = await newKey(['admin']);
    for (const body of [
      '{"jsonrpc":"1.0","id":1,"method":"tools/list"}',
      '{"id":1,"method":"tools/list"}',
      '{"jsonrpc":"2.0","id":1}',
      '{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}',
      // A null id (the SDK answered a bare 400 parse error with no code).
      '{"jsonrpc":"2.0","id":null,"method":"tools/list"}',
      // Numbers that are not integers, and positional params (the SDK called these a parse error).
      '{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}',
      '{"jsonrpc":"2.0","id":1e308,"method":"tools/list"}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":[]}',
      'null',
      '"x"',
    ]) {
      const response = await post(body, { authorization: `Bearer ${key}` });
      expect(response.status, body).toBe(400);
      expect((await json(response)).error, body).toMatchObject({ code: -32600, data: { code: 'invalid_request', status: 400 } });
    }
    for (const params of [
      { name: 'search_passages', arguments: null },
      { name: 'search_passages', arguments: [] },
      { name: 'search_passages', arguments: 'query' },
      { name: 123 },
      {},
    ]) {
      const response = await post(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params }), {
        authorization: `Bearer ${key}`,
      });
      const body = await json(response);
      expect(body, JSON.stringify(params)).toMatchObject({
        id: 9,
        error: { code: -32602, message: expect.stringMatching(/^tools\/call/) },
      });
      expect(body.error.message).not.toMatch(/"expected"|invalid_type/);
    }
    // A prompt's arguments are strings (the SDK answered -32603 with its schema's issues).
    const prompt = await json(
      await post(
        JSON.stringify({ jsonrpc: '2.0', id: 11, method: 'prompts/get', params: { name: 'thought_partner', arguments: { situation: 5 } } }),
        { authorization: `Bearer ${key}` },
      ),
    );
    expect(prompt).toMatchObject({ id: 11, error: { code: -32602, message: expect.stringContaining('"situation" must be a string') } });
    // The other methods' params, in words too (the SDK answered -32603 with its schema's issues: probe 33 L3).
    for (const [method, params, words] of [
      ['tools/list', { cursor: 123 }, /^tools\/list's "cursor" must be the string/],
      ['resources/list', { cursor: {} }, /^resources\/list's "cursor"/],
      ['resources/templates/list', { cursor: false }, /^resources\/templates\/list's "cursor"/],
      ['resources/read', {}, /^resources\/read needs params \{"uri"/],
      ['resources/read', { uri: 42 }, /^resources\/read needs params/],
      ['initialize', {}, /^initialize needs params/],
    ] as const) {
      const body = await json(await post(JSON.stringify({ jsonrpc: '2.0', id: 13, method, params }), { authorization: `Bearer ${key}` }));
      expect(body, method).toMatchObject({ id: 13, error: { code: -32602, message: expect.stringMatching(words) } });
      expect(body.error.message).not.toMatch(/"expected"|invalid_type/);
    }
    // A name every object has is no tool or prompt (the SDK's lookup found the inherited function and said "disabled").
    for (const [method, name] of [
      ['tools/call', 'toString'],
      ['tools/call', '__proto__'],
      ['prompts/get', 'constructor'],
      ['prompts/get', 'hasOwnProperty'],
    ] as const) {
      const body = await json(
        await post(JSON.stringify({ jsonrpc: '2.0', id: 12, method, params: { name, arguments: {} } }), { authorization: `Bearer ${key}` }),
      );
      expect(body, name).toMatchObject({
        id: 12,
        error: { code: -32602, message: expect.stringContaining(`no ${method === 'tools/call' ? 'tool' : 'prompt'} named "${name}"`) },
      });
      expect(body.error.message).not.toMatch(/disabled/);
    }
    // A well-formed call still works.
    const good = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'list_sources', arguments: {} } }),
      { authorization: `Bearer ${key}` },
    );
    expect((await json(good)).result).toBeDefined();
  });

  it('answers hostile and malformed requests with 4xx or a tool error, never 5xx', async () => {
    // About a hundred requests: spread over keys, to stay under RATE_LIMIT_MAX=40 a key.
    const keys = await Promise.all([1, 2, 3, 4].map(() => newKey(['admin'])));
    let sent = 0;
    const send = (body: string, headers: Record<string, string> = {}) =>
      post(body, { authorization: `Bearer ${keys[Math.floor((sent += 1) / 30)]}`, ...headers });
    const checks: [string, Record<string, string>, number][] = [
      ['{"jsonrpc": "2.0", "id": 1, "method": ', {}, 400],
      ['[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]', {}, 400],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/list"}', { accept: 'application/json' }, 406],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/list"}', { 'content-type': 'text/plain' }, 415],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/list"}', { origin: 'https://evil.example' }, 403],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/list"}', { 'mcp-protocol-version': '1999-01-01' }, 400],
      [
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_passages","arguments":{"query":"${'x'.repeat(300_000)}"}}}`,
        {},
        413,
      ],
      ['{"hello": "world"}', {}, 400],
      ['"just a string"', {}, 400],
    ];
    for (const [body, headers, status] of checks) {
      const response = await send(body, headers);
      expect(response.status, `${body.slice(0, 60)} ${JSON.stringify(headers)}`).toBe(status);
      const answer = await json(response);
      expect(answer).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number), message: expect.any(String) } });
    }
    expect((await send('[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]')).headers.get('x-request-id')).toBeTruthy();
    // GET and DELETE answer 405 themselves, and so do methods of no route here (HEAD beside GET too): all name POST alone.
    for (const method of ['GET', 'DELETE', 'HEAD', 'PUT', 'PATCH', 'OPTIONS']) {
      const response = await fetch(endpoint, { method, headers: { authorization: `Bearer ${keys[3]}`, accept: 'text/event-stream' } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow'), method).toBe('POST');
    }
    // Arguments of every odd shape: answered as results (tool errors or not), never a 5xx.
    const oddArguments: unknown[] = [
      null,
      [],
      'text',
      { query: { nested: true } },
      { query: 'a'.repeat(2000), k: 1.5 },
      { query: 'x', source: Array.from({ length: 500 }, () => 'name') },
      { query: '\uD800', author: '\u202Eevil' },
      { id: '00000000-0000-0000-0000-000000000000' },
      { url: 'javascript:alert(1)' },
      { url: 'http://[::1' },
      { runId: "' or 1=1 --" },
      JSON.parse(`{"query": "x", "k": ${'['.repeat(1000)}${']'.repeat(1000)}}`),
    ];
    let id = 100;
    for (const tool of ['search_passages', 'ask_cairn', 'get_document', 'list_sources', 'start_ingest_run', 'get_ingest_run', 'nope']) {
      for (const args of oddArguments) {
        const response = await send(
          JSON.stringify({ jsonrpc: '2.0', id: (id += 1), method: 'tools/call', params: { name: tool, arguments: args } }),
        );
        expect(response.status, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toBeLessThan(500);
        const answer = await json(response);
        expect(answer.result ?? answer.error, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toBeDefined();
      }
    }
    for (const uri of ['cairn://sources/%00', 'cairn://sources/../../etc/passwd', 'not a uri', 'file:///etc/passwd']) {
      const response = await send(JSON.stringify({ jsonrpc: '2.0', id: (id += 1), method: 'resources/read', params: { uri } }));
      expect(response.status, uri).toBeLessThan(500);
      expect((await json(response)).error, uri).toBeDefined();
    }
    const prompt = await send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: id + 1,
        method: 'prompts/get',
        params: { name: 'thought_partner', arguments: { situation: 'a\u0000b' } },
      }),
    );
    expect((await json(prompt)).error.message).toMatch(/invalid_text/);
  }, 120_000);
});

/**
 * Without keys the API runs open on loopback, and /mcp answers only requests addressed to a
 * loopback host: a page whose domain resolves to 127.0.0.1 (DNS rebinding) is refused.
 */
describe('MCP on an API without keys', () => {
  let app: FastifyInstance;
  let runtime: Runtime;

  beforeAll(async () => {
    const config = loadConfig({ CAIRN_STARTER_CORPUS: 'off' });
    runtime = await openRuntime({ ...config, dataDir: '' }, { answers: true });
    app = await buildApp(runtime);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
  });

  const list = (headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });

  it('lists every tool on a loopback host, and refuses another host or a foreign origin', async () => {
    const local = await list({ host: '127.0.0.1:3000' });
    expect(local.statusCode).toBe(200);
    expect(local.json().result.tools).toHaveLength(6);
    expect((await list({ host: 'localhost:3000', origin: 'http://localhost:3000' })).statusCode).toBe(200);
    const rebound = await list({ host: 'attacker.example:3000', origin: 'http://attacker.example:3000' });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json().error).toMatchObject({ data: { code: 'forbidden' }, message: expect.stringMatching(/loopback host/) });
    expect((await list({ host: '127.0.0.1:3000', origin: 'https://evil.example' })).statusCode).toBe(403);
  });
});
