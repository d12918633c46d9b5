import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import { testRuntimes } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

const adminKey = 'owner-test-admin-key-0123456789';

describe.each(testRuntimes)('conversations belong to the key that started them, on $name', (testRuntime) => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({
      CAIRN_ADMIN_KEY: adminKey,
      CAIRN_STARTER_CORPUS: 'off',
      ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}),
    });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: { authorization: `Bearer ${key}` } });
  const createKey = async (name: string, scopes: string[]) =>
    (await call('POST', '/v1/keys', adminKey, { name, scopes })).json().key as string;

  it("answers 404 conversation_not_found for another ask key's conversation, and lets its own key and admins in", async () => {
    const alice = await createKey('alice', ['ask']);
    const bob = await createKey('bob', ['ask']);
    const ops = await createKey('ops', ['admin']);

    const asked = await call('POST', '/v1/ask', alice, { question: 'How do I run a skip-level meeting?' });
    expect(asked.statusCode).toBe(200);
    const { conversationId, messageId } = asked.json();

    // Bob cannot read it, continue it or rate its answer: to him it does not exist.
    const read = await call('GET', `/v1/conversations/${conversationId}`, bob);
    expect(read.statusCode).toBe(404);
    expect(read.json().error.code).toBe('conversation_not_found');
    const continued = await call('POST', '/v1/ask', bob, { question: 'And how often?', conversationId });
    expect(continued.statusCode).toBe(404);
    expect(continued.json().error.code).toBe('conversation_not_found');
    const rated = await call('POST', '/v1/feedback', bob, { messageId, rating: -1 });
    expect(rated.statusCode).toBe(404);
    expect(rated.json().error.code).toBe('message_not_found');
    // ...and his attempts changed nothing.
    expect((await call('GET', `/v1/conversations/${conversationId}`, alice)).json().messages).toHaveLength(2);

    // Alice can do all three.
    expect((await call('GET', `/v1/conversations/${conversationId}`, alice)).statusCode).toBe(200);
    expect((await call('POST', '/v1/ask', alice, { question: 'And how often?', conversationId })).statusCode).toBe(200);
    expect((await call('POST', '/v1/feedback', alice, { messageId, rating: 1 })).statusCode).toBe(201);

    // Admin keys, the bootstrap one included, see every conversation.
    for (const key of [ops, adminKey]) {
      const conversation = await call('GET', `/v1/conversations/${conversationId}`, key);
      expect(conversation.statusCode).toBe(200);
      expect(conversation.json().messages).toHaveLength(4);
    }
    expect((await call('POST', '/v1/feedback', ops, { messageId, rating: 1 })).statusCode).toBe(201);
    // Each key rates once: Alice's rating and the admin's stand side by side.
    expect((await call('POST', '/v1/feedback', alice, { messageId, rating: -1, comment: 'changed my mind' })).statusCode).toBe(201);
    const ratings = (await call('GET', '/v1/feedback?limit=500', ops)).json().feedback as { messageId: string; rating: number }[];
    expect(
      ratings
        .filter((entry) => entry.messageId === messageId)
        .map((entry) => entry.rating)
        .sort(),
    ).toEqual([-1, 1]);
    expect((await call('POST', '/v1/ask', ops, { question: 'What about remote teams?', conversationId })).statusCode).toBe(200);

    // A conversation an admin started is not an ask key's either.
    const adminConversation = (await call('POST', '/v1/ask', ops, { question: 'What is a staff engineer?' })).json().conversationId;
    expect((await call('GET', `/v1/conversations/${adminConversation}`, alice)).statusCode).toBe(404);
  });

  it('keeps a conversation from before the keys (no owner) to admin keys once keys exist', async () => {
    const ownerless = await runtime.store.conversations.create('from open mode');
    const alice = await createKey('carol', ['ask']);
    expect((await call('GET', `/v1/conversations/${ownerless}`, alice)).statusCode).toBe(404);
    expect((await call('GET', `/v1/conversations/${ownerless}`, adminKey)).statusCode).toBe(200);
  });
});

describe('conversations without keys (open on loopback), on pglite', () => {
  let runtime: Runtime;
  let app: FastifyInstance;

  beforeAll(async () => {
    const config = loadConfig({ CAIRN_STARTER_CORPUS: 'off' });
    runtime = await openRuntime({ ...config, dataDir: '' }, { answers: true });
    app = await buildApp(runtime);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
  });

  it('are open to every caller, as before', async () => {
    const asked = (await app.inject({ method: 'POST', url: '/v1/ask', payload: { question: 'How do I delegate?' } })).json();
    expect((await app.inject(`/v1/conversations/${asked.conversationId}`)).statusCode).toBe(200);
    const continued = await app.inject({
      method: 'POST',
      url: '/v1/ask',
      payload: { question: 'And to whom?', conversationId: asked.conversationId },
    });
    expect(continued.statusCode).toBe(200);
    expect(continued.json().conversationId).toBe(asked.conversationId);
    expect((await app.inject({ method: 'POST', url: '/v1/feedback', payload: { messageId: asked.messageId, rating: 1 } })).statusCode).toBe(
      201,
    );
  });
});
