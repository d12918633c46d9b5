import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { CairnError, packageDirectory } from '@cairn/core';

/** Where `npm run build` puts the admin UI (apps/admin/dist). */
export const defaultAdminDir = join(packageDirectory('@cairn/api'), '..', 'admin', 'dist') + '/';

/**
 * Serves the built admin UI at /admin, on the API's origin. Hashed assets are cached for
 * a year; index.html is revalidated, and is what every client-side route (/admin/runs/…)
 * gets. Without a build, /admin answers 503 admin_not_built saying how to build it.
 */
export const adminUiRoutes: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  app.get('/admin', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/admin/', 308));
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/admin/*', { schema: { hide: true } }, async () => {
      throw new CairnError(
        'admin_not_built',
        `The admin UI is not built (no ${join(root, 'index.html')}); run \`npm run build\`, or start with \`npm start\`, which builds it.`,
      );
    });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/admin/',
    // One route per file, found now: a missing asset is a 404, never the page.
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header('cache-control', path.startsWith(join(root, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const files = new Set(readdirSync(root, { recursive: true, encoding: 'utf8' }));
  const page = async (_request: unknown, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', root);
  app.get('/admin/', { schema: { hide: true } }, page);
  app.get('/admin/*', { schema: { hide: true } }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    // A client-side route gets the page; a file that is not there is a 404.
    if (/\.[a-z0-9]+$/i.test(path) && !files.has(path)) return reply.callNotFound();
    return page(request, reply);
  });
};
