import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import { testRuntimes } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

/** Characters no text field takes: NUL, lone surrogates, bidirectional embeddings, overrides and isolates. */
const refused = ['\u0000', '\uD800', '\uDFFF', '\u202A', '\u202E', '\u2066', '\u2069'];
const codePoint = (character: string) => `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

describe.each(testRuntimes)('text with NUL, lone surrogates or bidi controls on $name', (testRuntime) => {
  let app: FastifyInstance;
  let runtime: Runtime;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({ CAIRN_STARTER_CORPUS: 'off', ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}) });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  /** Sends the JSON as written: a lone surrogate stays a `\ud800` escape, as a client would send it. */
  const send = (method: 'POST' | 'PATCH', url: string, body: unknown) =>
    app.inject({ method, url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  it('refuses each of them in questions, names, URLs and comments with 400 invalid_text, never a 5xx', async () => {
    const asked = (await send('POST', '/v1/ask', { question: 'How do I run a good one-on-one?' })).json();
    const source = (await send('POST', '/v1/sources', { name: 'text-checks', baseUrl: 'https://text.example.com/' })).json();
    for (const character of refused) {
      const text = `a${character}b`;
      const requests: [string, 'POST' | 'PATCH', string, unknown][] = [
        ['question', 'POST', '/v1/ask', { question: text }],
        ['conversationId', 'POST', '/v1/ask', { question: 'and then?', conversationId: text }],
        ['search query', 'POST', '/v1/search', { query: text }],
        ['source filter', 'POST', '/v1/search', { query: 'feedback', filters: { sources: [text] } }],
        ['key name', 'POST', '/v1/keys', { name: text, scopes: ['ask'] }],
        ['source name', 'POST', '/v1/sources', { name: text, baseUrl: 'https://example.com/' }],
        ['baseUrl', 'POST', '/v1/sources', { name: 'nul-base', baseUrl: `https://exa${character}mple.com/` }],
        ['seed', 'PATCH', `/v1/sources/${source.id}`, { seeds: [`https://text.example.com/${character}`] }],
        ['feedback comment', 'POST', '/v1/feedback', { messageId: asked.messageId, rating: 1, comment: text }],
        ['chat message', 'POST', '/v1/chat/completions', { messages: [{ role: 'user', content: text }] }],
        ['chat content part', 'POST', '/v1/chat/completions', { messages: [{ role: 'user', content: [{ type: 'text', text }] }] }],
        ['chat model', 'POST', '/v1/chat/completions', { model: text, messages: [{ role: 'user', content: 'hello' }] }],
        ['a property name', 'POST', '/v1/search', { query: 'feedback', [text]: 1 }],
      ];
      for (const [field, method, url, body] of requests) {
        const response = await send(method, url, body);
        const what = `${field} with ${codePoint(character)}`;
        expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
        expect(response.json().error.code, what).toBe('invalid_text');
        expect(response.json().error.message, what).toContain(codePoint(character));
      }
    }
    // Query strings and path parameters too (a lone surrogate cannot be sent there: it is not UTF-8).
    for (const url of [
      '/v1/sources?staleAfterDays=%00',
      '/v1/conversations/a%00b',
      `/v1/sources/a%E2%80%AEb`,
      '/v1/feedback?limit=%E2%81%A6',
    ]) {
      const method = url.startsWith('/v1/sources/') ? 'DELETE' : 'GET';
      const response = await app.inject({ method, url });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect(response.json().error.code, url).toBe('invalid_text');
    }
    // Nothing was stored on the way.
    expect(await runtime.store.database.query("select 1 from conversations where title like '%b'")).toEqual([]);
  });

  it('takes text without them as before: other unicode, right-to-left script and marks included', async () => {
    const question = 'كيف أعطي ملاحظات لزميل؟ \u200F — 𝓈𝓉𝒶𝒻𝒻 🧗‍♀️';
    const response = await send('POST', '/v1/ask', { question });
    expect(response.statusCode).toBe(200);
    const { conversationId } = response.json();
    const conversation = (await app.inject(`/v1/conversations/${conversationId}`)).json();
    expect(conversation.messages[0].content).toBe(question.trim());
  });
});
