import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { preferredMediaType } from './negotiate.js';
import { ErrorResponse } from './shared-schemas.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The bare address: a browser goes to the admin UI, any other client gets where things are.
  app.get(
    '/',
    {
      schema: {
        tags: ['health'],
        summary: 'Where things are: a browser is sent to the admin UI (302 to /admin/), other clients get the addresses as JSON',
        response: {
          200: Type.Object({
            name: Type.Literal('cairn'),
            admin: Type.String(),
            docs: Type.String(),
            openapi: Type.String(),
            health: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      if (preferredMediaType(request, ['application/json', 'text/html']) === 'text/html') return reply.redirect('/admin/', 302);
      return { name: 'cairn' as const, admin: '/admin/', docs: '/docs', openapi: '/openapi.json', health: '/healthz' };
    },
  );

  app.get(
    '/healthz',
    // Probes call these every few seconds: their requests are not logged (errors still are).
    {
      logLevel: 'warn',
      schema: { tags: ['health'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['health'],
        summary: 'Ready to serve: the database answers, every migration is applied, and the queue answers when configured',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            checks: Type.Object({ database: Type.String(), queue: Type.Optional(Type.String()) }),
          }),
          503: ErrorResponse,
        },
      },
    },
    async (_request, reply) => {
      const database = await app.cairn.store.isReady();
      if (!database.ok) {
        return reply
          .status(503)
          .send({ error: { code: 'not_ready', message: `The database is not ready: ${database.reason ?? 'unknown'}` } });
      }
      const queue = app.cairn.runner.isReady;
      if (queue && !(await queue.call(app.cairn.runner))) {
        return reply.status(503).send({ error: { code: 'not_ready', message: 'The ingestion queue (REDIS_URL) does not answer.' } });
      }
      return { status: 'ready' as const, checks: queue ? { database: 'ok', queue: 'ok' } : { database: 'ok' } };
    },
  );
};
