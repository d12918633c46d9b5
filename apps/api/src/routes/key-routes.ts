import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CairnError } from '@cairn/core';
import type { ApiKeyRecord } from '@cairn/store';
import { isoDate } from './iso-date.js';
import { errorResponses } from './shared-schemas.js';

const Scope = Type.Union([Type.Literal('ask'), Type.Literal('admin')]);

const KeyResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  scopes: Type.Array(Scope),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const keyJson = (record: ApiKeyRecord) => ({
  ...record,
  createdAt: isoDate(record.createdAt)!,
  lastUsedAt: isoDate(record.lastUsedAt),
  revokedAt: isoDate(record.revokedAt),
});

export const keyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'Create an API key; the key is in this response only',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'Who or what uses the key (not blank)' }),
            scopes: Type.Array(Scope, {
              minItems: 1,
              maxItems: 2,
              description:
                'ask: search, answers, conversations, feedback, chat completions; admin: everything, including sources, runs and keys',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([KeyResponse, Type.Object({ key: Type.String({ description: 'Shown once: store it now' }) })]),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { record, key } = await app.cairn.store.apiKeys.create(
        { name: request.body.name.trim(), scopes: request.body.scopes },
        { keepAdmin: { configured: app.cairn.config.adminKey !== undefined } },
      );
      app.authChanged();
      request.log.info({ keyId: record.id, prefix: record.prefix, scopes: record.scopes }, 'API key created');
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ ...keyJson(record), key });
    },
  );

  app.get(
    '/v1/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'API keys (never the keys themselves), revoked ones included',
        response: { 200: Type.Object({ keys: Type.Array(KeyResponse) }), ...errorResponses },
      },
    },
    async () => ({ keys: (await app.cairn.store.apiKeys.list()).map(keyJson) }),
  );

  app.delete(
    '/v1/keys/:id',
    {
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key',
        params: Type.Object({ id: Type.String() }),
        response: { 200: KeyResponse, ...errorResponses },
      },
    },
    async (request) => {
      const record = await app.cairn.store.apiKeys.revoke(request.params.id, {
        keepAdmin: { configured: app.cairn.config.adminKey !== undefined },
      });
      if (!record) throw new CairnError('key_not_found', `No API key has the id ${JSON.stringify(request.params.id)}.`);
      app.authChanged();
      request.log.info({ keyId: record.id, prefix: record.prefix }, 'API key revoked');
      if (app.cairn.config.adminKey === undefined && (await app.cairn.store.apiKeys.countActive()) === 0)
        request.log.warn('The last API key was revoked: the API is open again to anyone who can reach it on loopback.');
      return keyJson(record);
    },
  );
};
