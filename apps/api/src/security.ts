import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { once } from 'node:events';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { CairnError, type CairnConfig } from '@cairn/core';
import { callsTool } from '@cairn/mcp/calls-tool';
import { answerRoutes } from './request-deadline.js';
import { mcpRoute } from './routes/mcp-route-path.js';

/**
 * Which count a request goes to: answers (`/v1/ask`, `/v1/chat/completions`, and an MCP
 * `tools/call` of ask_cairn) apart from everything else. Read after the body is parsed.
 */
function rateLimitBucket(request: FastifyRequest): 'answers' | 'all' {
  const route = request.routeOptions.url ?? '';
  if (answerRoutes.has(route)) return 'answers';
  return route === mcpRoute && callsTool(request.body, 'ask_cairn') ? 'answers' : 'all';
}

/** The health probes, which no limit holds back. */
const isProbe = (request: FastifyRequest) => ['/healthz', '/readyz'].includes(request.routeOptions.url ?? '');

/**
 * Headers, CORS and rate limits. The CSP allows only this origin's scripts, styles and
 * connections: the admin UI (a built bundle, no inline script) runs under it. CORS is
 * closed unless CORS_ORIGINS names origins. Rate limits count per API key (per address
 * when the API runs open), answers apart from the rest, in Redis when REDIS_URL is set so
 * that replicas share the counts.
 */
export const securityPlugin = fp<{ config: CairnConfig }>(
  async (app, { config }) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      // The API is called from other origins' servers, never embedded: keep resources same-site.
      crossOriginResourcePolicy: { policy: 'same-site' },
    });
    await app.register(cors, { origin: config.corsOrigins.length > 0 ? config.corsOrigins : false, credentials: false, maxAge: 600 });

    const redis = config.redisUrl
      ? // ioredis is loaded only where Redis is configured: the embedded default never needs it.
        new (await import('ioredis')).Redis(config.redisUrl, {
          connectTimeout: 1000,
          // A Redis whose connection stays up but answers nothing (a partition, a paused host, a long
          // command) fails each count after this long, so the limit is skipped rather than the request held.
          commandTimeout: 500,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          lazyConnect: false,
        })
      : undefined;
    if (redis) {
      redis.on('error', (error) => app.log.warn({ err: error }, 'rate-limit store (Redis) error'));
      app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
      // Commands fail rather than queue while Redis is away (the limit is skipped, the API
      // stays up): so wait for the connection before the first request, for up to 2 s.
      const ready = await Promise.race([
        once(redis, 'ready').then(() => true),
        new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
      ]);
      if (!ready) app.log.warn('The rate-limit store (REDIS_URL) is not reachable yet: requests are not counted until it is.');
    }
    await app.register(rateLimit, {
      global: true,
      // After authentication (onRequest), so that the count is per key.
      hook: 'preHandler',
      timeWindow: 60_000,
      max: async (request) => (rateLimitBucket(request) === 'answers' ? config.rateLimit.askMax : config.rateLimit.max),
      keyGenerator: (request) => `${request.caller?.keyId ?? `ip:${request.ip}`}|${rateLimitBucket(request)}`,
      allowList: (request) => isProbe(request),
      ...(redis ? { redis, nameSpace: `${config.queuePrefix}:rate-limit:` } : {}),
      // A Redis outage must not take the API down with it: count nothing meanwhile.
      skipOnError: true,
      // Thrown: the error handler answers it in the one error shape, after the Retry-After header is set.
      errorResponseBuilder: (request, context) =>
        new CairnError(
          'rate_limited',
          // Counted per key, or per address while the API runs open (keyGenerator above).
          `Too many requests: at most ${context.max} a minute for ${request.caller ? 'this key' : 'this address'}; retry in ${context.after}.`,
        ),
    });
  },
  { name: 'cairn-security' },
);

/** What counts as a refused request: a body that is malformed, too large or not JSON, the work of parsing it spent. */
const refusedStatuses = new Set([400, 413, 415]);

/**
 * The per-key limit counts at preHandler, after parsing and validation, so a request refused
 * before it (a body that is not JSON, not the schema, too large) was never counted: a client
 * could send them without end, each costing its parse (a probe sent 139 bodies of 256 KiB,
 * nested 120,000 deep, in 10 s against a limit of 5 a minute). Such refusals now count, per
 * key, or per address for a request without one (the API open on loopback, or a public
 * route); a caller refused RATE_LIMIT_MAX times in a minute is answered 429 before its body
 * is read. Registered after authentication: a valid key is held to its own refusals only, never
 * to those of others behind the same address (a load balancer, a NAT); a wrong key is refused
 * by authentication at once, at the cost of a hash and a lookup.
 */
export const refusalLimitPlugin = fp<{ config: CairnConfig }>(
  async (app, { config }) => {
    const callerKey = (request: FastifyRequest) => `refused|${request.caller?.keyId ?? `ip:${normalizeIP(request.ip)}`}`;
    const refusals = app.createRateLimit({ max: config.rateLimit.max, keyGenerator: callerKey });
    app.addHook('onRequest', async (request, reply) => {
      if (isProbe(request)) return;
      const status = await refusals(request, { increment: false }).catch(() => undefined);
      // `remaining` 0: the caller has used its refusals for the window (isExceeded would wait for one more).
      if (!status || status.isAllowed || status.remaining > 0) return;
      reply.header('retry-after', String(status.ttlInSeconds));
      throw new CairnError(
        'rate_limited',
        `Too many malformed requests: at most ${status.max} a minute for ${request.caller ? 'this key' : 'this address'}; retry in ${status.ttlInSeconds} seconds, with a request that is valid.`,
      );
    });
    app.addHook('onResponse', async (request, reply) => {
      if (refusedStatuses.has(reply.statusCode)) await refusals(request).catch(() => undefined);
    });
  },
  { name: 'cairn-refusal-limit', dependencies: ['cairn-security'] },
);
