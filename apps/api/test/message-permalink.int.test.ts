import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import { testRuntimes } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

const adminKey = 'permalink-test-admin-key-0123456789';

/** GET /v1/messages/:id over real HTTP: what an answer's permalink reads, with the scopes of conversations. */
describe.each(testRuntimes)('GET /v1/messages/:id on $name', (testRuntime) => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let baseUrl: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({
      CAIRN_ADMIN_KEY: adminKey,
      CAIRN_STARTER_CORPUS: 'on',
      ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}),
    });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime);
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  const call = async (method: 'GET' | 'POST', path: string, key?: string, body?: object) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    // JSON.parse, as inject's json() does: the tests read the fields they check.
    return { status: response.status, body: JSON.parse(await response.text()) };
  };
  const createKey = async (name: string, scopes: string[]) =>
    (await call('POST', '/v1/keys', adminKey, { name, scopes })).body.key as string;

  it('pairs each answer with its own question when follow-ups of one conversation are asked at once', async () => {
    const started = await call('POST', '/v1/ask', adminKey, { question: 'How do I give feedback to a peer?' });
    const conversationId = started.body.conversationId as string;
    const questions = ['sponsorship', 'BICEPS', 'strategy', 'migrations', 'team sizing', 'on-call', 'staff archetypes', 'reorgs'].map(
      (topic) => `And what about ${topic}?`,
    );
    const asked = await Promise.all(questions.map((question) => call('POST', '/v1/ask', adminKey, { question, conversationId })));
    for (const [index, answer] of asked.entries()) {
      expect(answer.status).toBe(200);
      expect((await call('GET', `/v1/messages/${answer.body.messageId}`, adminKey)).body.question).toBe(questions[index]);
    }
    const { body: conversation } = await call('GET', `/v1/conversations/${conversationId}`, adminKey);
    expect(conversation.messages.map((message: { role: string }) => message.role)).toEqual(
      Array.from({ length: 18 }, (_, index) => (index % 2 === 0 ? 'user' : 'assistant')),
    );
  });

  it('returns a stored answer with its citations and question to its own ask key and to admins, and 404 to another key', async () => {
    const alice = await createKey('alice', ['ask']);
    const bob = await createKey('bob', ['ask']);
    const ops = await createKey('ops', ['admin']);
    const question = 'How should I give feedback to a senior engineer who keeps interrupting people in meetings?';
    const asked = await call('POST', '/v1/ask', alice, { question });
    expect(asked.status).toBe(200);
    expect(asked.body.citations.length).toBeGreaterThan(0);

    const own = await call('GET', `/v1/messages/${asked.body.messageId}`, alice);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      id: asked.body.messageId,
      conversationId: asked.body.conversationId,
      role: 'assistant',
      content: asked.body.answer,
      question,
      mode: 'extractive',
      model: asked.body.model,
    });
    expect(own.body.citations).toEqual(asked.body.citations);
    expect(Number.isNaN(Date.parse(own.body.createdAt))).toBe(false);

    // Another ask key cannot tell it from an unknown id; admin keys, the bootstrap one included, read it.
    const foreign = await call('GET', `/v1/messages/${asked.body.messageId}`, bob);
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'message_not_found' } } });
    for (const key of [ops, adminKey]) {
      const read = await call('GET', `/v1/messages/${asked.body.messageId}`, key);
      expect(read.status).toBe(200);
      expect(read.body.content).toBe(asked.body.answer);
    }
    expect((await call('GET', `/v1/messages/${asked.body.messageId}`)).body.error.code).toBe('unauthorized');

    // A follow-up's answer carries its own question; the user turn itself has none.
    const followUp = await call('POST', '/v1/ask', alice, { question: 'And if he is my peer?', conversationId: asked.body.conversationId });
    expect((await call('GET', `/v1/messages/${followUp.body.messageId}`, alice)).body.question).toBe('And if he is my peer?');
    const conversation = await call('GET', `/v1/conversations/${asked.body.conversationId}`, alice);
    const userTurn = conversation.body.messages[0];
    expect(userTurn.role).toBe('user');
    expect((await call('GET', `/v1/messages/${userTurn.id}`, alice)).body).toMatchObject({
      role: 'user',
      content: question,
      question: null,
    });
  });

  it('answers 404 message_not_found for an unknown id and 400 invalid_request for a malformed one', async () => {
    const unknown = await call('GET', '/v1/messages/00000000-0000-4000-8000-000000000000', adminKey);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'message_not_found' } } });
    for (const malformed of ['not-a-uuid', '123', '00000000-0000-4000-8000-00000000000g']) {
      const response = await call('GET', `/v1/messages/${malformed}`, adminKey);
      expect(response.status, malformed).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
      expect(response.body.error.message).toContain('UUID');
    }
  });

  it('is documented in OpenAPI with its response schema', async () => {
    const spec = (await call('GET', '/openapi.json')).body;
    const operation = spec.paths['/v1/messages/{id}']?.get;
    expect(operation).toBeDefined();
    expect(JSON.stringify(operation.responses['200'])).toContain('question');
    expect(operation.responses['404']).toBeDefined();
  });
});
