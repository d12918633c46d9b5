import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { ConversationCaller } from '@cairn/answer';
import { CairnError, ConfigError, type CairnConfig } from '@cairn/core';
import { sameKey, type ApiKeyScope, type ConversationReader, type Store } from '@cairn/store';
import { mcpRoute } from './routes/mcp-route-path.js';

/** Who is calling: a stored key, or the bootstrap key from CAIRN_ADMIN_KEY. */
export interface Caller {
  keyId: string;
  name: string;
  scopes: readonly ApiKeyScope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; null when the API runs open (no keys at all). */
    caller: Caller | null;
  }
}

/** The id of the caller that presented CAIRN_ADMIN_KEY (it has no stored row). */
const bootstrapKeyId = 'bootstrap';

/**
 * The caller as conversations see it, undefined when the API runs open: its stored key
 * (null for CAIRN_ADMIN_KEY) owns the conversations it starts; without the admin scope it
 * sees only those.
 */
export function conversationCaller(caller: Caller | null): ConversationCaller | undefined {
  if (!caller) return undefined;
  return { keyId: caller.keyId === bootstrapKeyId ? null : caller.keyId, admin: caller.scopes.includes('admin') };
}

/**
 * Who a rating is from, so that each rater rates an answer once: the stored key's id, `admin`
 * for CAIRN_ADMIN_KEY, `open` when the API runs without keys (every caller is then the same).
 */
export function raterOf(caller: Caller | null): string {
  if (!caller) return 'open';
  return caller.keyId === bootstrapKeyId ? 'admin' : caller.keyId;
}

/** Which conversations (and their messages) a caller may read: its own, unless it is an admin or the API runs open. */
export function conversationReader(caller: Caller | null): ConversationReader {
  const asking = conversationCaller(caller);
  return asking && !asking.admin ? { ownerKeyId: asking.keyId } : {};
}

type Access = 'public' | ApiKeyScope;

/**
 * The scope each route needs, by method and route pattern. `admin` includes `ask`, so the
 * admin UI works with one key. A route not listed needs `admin`: new routes start closed.
 */
export function accessFor(method: string, route: string): Access {
  // CORS preflights carry no credentials; @fastify/cors answers them by its own rules.
  if (method === 'OPTIONS') return 'public';
  if (
    ['/', '/healthz', '/readyz', '/openapi.json'].includes(route) ||
    route === '/docs' ||
    route.startsWith('/docs/') ||
    route === '/admin' ||
    route.startsWith('/admin/')
  )
    return 'public';
  if (route === '/v1/feedback') return method === 'POST' ? 'ask' : 'admin';
  // The MCP endpoint needs at least ask; each of its tools checks its own scope (admin for runs).
  if (route === mcpRoute) return 'ask';
  if (
    ['/v1/search', '/v1/ask', '/v1/chat/completions', '/v1/models', '/v1/models/:model'].includes(route) ||
    route.startsWith('/v1/conversations') ||
    route === '/v1/messages/:id'
  )
    return 'ask';
  return 'admin';
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
export const isLoopbackHost = (host: string) => loopbackHosts.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The host name of a Host header (`[::1]:3000` → `::1`), or undefined when it is not one. */
export function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/**
 * A browser's request (it carries `Origin`) must come from this API's own origin or one of
 * CORS_ORIGINS; clients that are not browsers send no Origin. `what` names what is called.
 */
export function checkBrowserOrigin(request: FastifyRequest, corsOrigins: readonly string[], what: string): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const sameOrigin = URL.canParse(origin) && new URL(origin).host === request.headers.host;
  if (!sameOrigin && !corsOrigins.includes(origin))
    throw new CairnError('forbidden', `The origin ${origin} may not call ${what}: add it to CORS_ORIGINS to allow it.`);
}

/**
 * While the API runs open (no keys, so bound to loopback), a request must be addressed to a
 * loopback host, and a browser's must come from this API's own origin (or CORS_ORIGINS).
 * Binding to 127.0.0.1 keeps other machines out, but not a web page the owner visits: its
 * domain can be made to resolve to 127.0.0.1 (DNS rebinding), and its requests then reach the
 * API with that domain as their Host, where they could read answers or create the first key.
 */
function checkOpenRequest(request: FastifyRequest, corsOrigins: readonly string[], what: string): void {
  checkBrowserOrigin(request, corsOrigins, what);
  const host = hostName(request.headers.host);
  if (host === undefined || !isLoopbackHost(host))
    throw new CairnError(
      'forbidden',
      `${what} runs without API keys and answers only requests addressed to a loopback host (127.0.0.1, localhost), not ${JSON.stringify(request.headers.host ?? '')}; create a key (\`cairn keys create\`) to serve it beyond loopback.`,
    );
}

/** The key a request carries: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.trim() ? header.trim() : undefined;
}

/** Whether any key exists, re-read at most every `ttlMs` (keys made by `cairn keys create` in another process count). */
class AuthSwitch {
  private known: { on: boolean; at: number } | undefined;
  constructor(
    private readonly store: Store,
    private readonly bootstrap: boolean,
    private readonly ttlMs = 2000,
  ) {}

  async on(): Promise<boolean> {
    if (this.bootstrap) return true;
    if (this.known && Date.now() - this.known.at < this.ttlMs) return this.known.on;
    const on = (await this.store.apiKeys.countActive()) > 0;
    this.known = { on, at: Date.now() };
    return on;
  }

  forget(): void {
    this.known = undefined;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Call after creating or revoking a key, so the next request sees it. */
    authChanged(): void;
  }
}

/**
 * API keys: every request to a route that needs a scope must carry a key with it, as soon
 * as any key exists (or CAIRN_ADMIN_KEY is set). Keys are compared as SHA-256 hashes in
 * constant time and never logged. Bound beyond loopback, the API refuses to start without
 * a key; on loopback without keys it runs open and says so, and answers only requests
 * addressed to a loopback host (checkOpenRequest).
 */
export const authPlugin = fp<{ config: CairnConfig; store: Store }>(
  async (app, { config, store }) => {
    const authSwitch = new AuthSwitch(store, config.adminKey !== undefined);
    const enabled = await authSwitch.on();
    if (!enabled && !isLoopbackHost(config.host)) {
      throw new ConfigError(
        'HOST',
        `is ${config.host}, beyond loopback, and no API key exists: set CAIRN_ADMIN_KEY or create a key with \`cairn keys create --name NAME --scopes admin\` first`,
      );
    }
    if (!enabled)
      app.log.warn(
        'No API keys exist and CAIRN_ADMIN_KEY is not set: the API is open to anyone who can reach 127.0.0.1 (create a key with `cairn keys create` to require keys).',
      );

    app.decorate('authChanged', () => authSwitch.forget());
    app.decorateRequest('caller', null);
    app.addHook('onRequest', async (request) => {
      const route = request.routeOptions.url;
      if (route === undefined) return; // no route: the 404 handler answers
      const access = accessFor(request.method, route);
      if (access === 'public') return;
      if (!(await authSwitch.on())) return checkOpenRequest(request, config.corsOrigins, `${request.method} ${route}`);
      const key = presentedKey(request);
      if (!key)
        throw new CairnError(
          'unauthorized',
          `${request.method} ${route} needs an API key with the ${access} scope: send \`Authorization: Bearer <key>\`.`,
        );
      const caller: Caller | undefined =
        config.adminKey !== undefined && sameKey(key, config.adminKey)
          ? { keyId: bootstrapKeyId, name: 'CAIRN_ADMIN_KEY', scopes: ['admin'] }
          : await store.apiKeys.verify(key).then((record) => record && { keyId: record.id, name: record.name, scopes: record.scopes });
      if (!caller) throw new CairnError('unauthorized', 'The API key is unknown or revoked.');
      if (!caller.scopes.includes('admin') && !caller.scopes.includes(access)) {
        throw new CairnError(
          'forbidden',
          `The key "${caller.name}" has the scopes ${caller.scopes.join(', ')}; ${request.method} ${route} needs ${access}.`,
        );
      }
      request.caller = caller;
      request.log.debug({ keyId: caller.keyId }, 'authenticated');
      if (caller.keyId !== bootstrapKeyId) void store.apiKeys.touch(caller.keyId).catch(() => undefined);
    });
  },
  { name: 'cairn-auth' },
);
