import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifySchemaValidationError, type FastifyServerOptions } from 'fastify';
import ajvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CairnConfig } from '@cairn/core';
import { authPlugin } from './auth.js';
import { answerClientError, answerFrameworkError, registerErrorHandling } from './error-handler.js';
import { metricsPlugin } from './metrics.js';
import { requestDeadlinePlugin } from './request-deadline.js';
import { refusalLimitPlugin, securityPlugin } from './security.js';
import { textCheckPlugin } from './text-check.js';
import { keyRoutes } from './routes/key-routes.js';
import { mcpRoutes } from './routes/mcp-routes.js';
import { adminUiRoutes, defaultAdminDir } from './routes/admin-ui-routes.js';
import { askRoutes } from './routes/ask-routes.js';
import { chatCompletionsRoutes } from './routes/chat-completions-routes.js';
import { conversationRoutes } from './routes/conversation-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { limits } from './routes/shared-schemas.js';
import { servicesPlugin, type ServiceDependencies } from './services/services-plugin.js';
import { runRoutes } from './routes/run-routes.js';
import { sourceRoutes } from './routes/source-routes.js';

export type AppDependencies = ServiceDependencies;

/**
 * Builds the application: infrastructure (errors, OpenAPI) first, then the services,
 * then the routes. It does not listen; `server.ts` does.
 */
export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  /**
   * The configuration, where `dependencies` is still a promise (the runtime opening): the
   * parts of the app that need only the configuration (Fastify, its schema compilers, the
   * OpenAPI document and docs page, the request checks) are set up while it opens.
   */
  config?: CairnConfig;
  /** The built admin UI to serve at /admin (default: apps/admin/dist). */
  adminDir?: string;
}

/** Each app's schema compilations not yet run (compileAllSchemas runs them). */
const pendingCompilations = new WeakMap<FastifyInstance, (() => void)[]>();

/**
 * Compiles every route's validators and serializers now rather than at their first request,
 * and returns how many: a test's proof that every schema compiles (a start no longer does it).
 */
export function compileAllSchemas(app: FastifyInstance): number {
  const pending = pendingCompilations.get(app) ?? [];
  for (const compile of pending) compile();
  return pending.length;
}

/** `compile()`'s function, compiled at the first call (or by compileAllSchemas) and kept. */
function compiledOnFirstUse<Argument, Result>(
  compile: () => (argument: Argument) => Result,
  pending: (() => void)[],
): (argument: Argument) => Result {
  let compiled: ((argument: Argument) => Result) | undefined;
  pending.push(() => void (compiled ??= compile()));
  return (argument) => (compiled ??= compile())(argument);
}

export async function buildApp(
  dependencies: AppDependencies | Promise<AppDependencies>,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  // A runtime that fails to open is reported where it is awaited below, not as unhandled meanwhile.
  if (dependencies instanceof Promise) dependencies.catch(() => undefined);
  const config = options.config ?? (await dependencies).config;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.bodyBytes,
    // A backstop for headers sent slowly, which no hook sees: Node answers 408 once the
    // request has not arrived whole within this, checked every second. A slow body is
    // answered sooner, at REQUEST_TIMEOUT_MS, by the request deadline plugin.
    requestTimeout: config.requestTimeoutMs + 2000,
    http: { connectionsCheckingInterval: 1000 },
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // A JSON body is taken as sent ({question: 42} is an error, not "42"); query strings and
  // path parameters are text, so their numbers and booleans are converted.
  const compilers = ajvCompiler();
  const ajvOptions = { removeAdditional: false, useDefaults: true, allErrors: false } as const;
  const strict = compilers({}, { customOptions: { ...ajvOptions, coerceTypes: false } });
  const coercing = compilers({}, { customOptions: { ...ajvOptions, coerceTypes: 'array' } });
  // Each route's validators and response serializers are compiled at their first use, not at
  // start: compiling all of them (ajv, fast-json-stringify) took about 0.4 s of every start,
  // for routes most processes never call. A route's first request pays its own (milliseconds);
  // a test compiles them all (compileAllSchemas), so a schema that does not compile fails there.
  const pending: (() => void)[] = [];
  pendingCompilations.set(app, pending);
  app.setValidatorCompiler((route) => {
    if (route.httpPart === 'body') {
      return compiledOnFirstUse(() => {
        const validate = strict(route);
        return (data: unknown) => (validate(data) ? { value: data } : { error: validate.errors as FastifySchemaValidationError[] });
      }, pending);
    }
    return compiledOnFirstUse(() => {
      const validate = coercing(route);
      // Coercion turns "1e309" into Infinity, which passes ajv's integer check: refuse it here.
      return (data: unknown) => {
        if (!validate(data)) return { error: validate.errors as FastifySchemaValidationError[] };
        const infinite =
          typeof data === 'object' &&
          data !== null &&
          Object.entries(data).find(([, value]) => typeof value === 'number' && !Number.isFinite(value));
        return infinite ? { error: new Error(`${route.httpPart}.${infinite[0]} is not a finite number`) } : { value: data };
      };
    }, pending);
  });
  const serializers = SerializerSelector()({}, {});
  // A serializer is compiled for a response status (httpStatus is set; the type says it may not be).
  app.setSerializerCompiler((route) =>
    compiledOnFirstUse(() => serializers({ ...route, httpStatus: route.httpStatus ?? 'default' }), pending),
  );

  // JSON only: a text/plain body gets 415 rather than a confusing schema error.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cairn',
        version: '0.1.0',
        description:
          'A thought partner for engineering leaders whose answers cite Will Larson, Lara Hogan and Jack Danger. Errors: `{error: {code, message}}` (codes in docs/errors.md).',
      },
      tags: [
        { name: 'answers', description: 'Cited answers, conversations and feedback' },
        { name: 'retrieval', description: 'Search over the indexed passages' },
        { name: 'sources', description: 'Sources, their freshness, and ingestion runs' },
        { name: 'health', description: 'Liveness, readiness and metrics' },
        { name: 'keys', description: 'API keys (admin scope)' },
        { name: 'mcp', description: 'The Model Context Protocol (Streamable HTTP) for AI assistants, with the same keys' },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key (`cairn keys create`), once any key exists or CAIRN_ADMIN_KEY is set',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
  });
  // The docs page has its own CSP for its static files: Swagger UI sets inline styles,
  // which the API's stricter policy (and the admin UI's) does not allow.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'"),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(textCheckPlugin);
  await app.register(requestDeadlinePlugin, {
    requestTimeoutMs: config.requestTimeoutMs,
    answerTimeoutMs: Math.max(config.requestTimeoutMs, config.chat.timeoutMs + 10_000),
  });
  // What follows needs the runtime: the API's start (server.ts) opens it meanwhile.
  let opened: AppDependencies;
  try {
    opened = await dependencies;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  // Headers and CORS come before authentication: a 401 carries the security headers, and a preflight is
  // answered without a key. The limits count per key, so after it (the per-key count itself at preHandler).
  await app.register(securityPlugin, { config });
  await app.register(authPlugin, { config, store: opened.store });
  await app.register(refusalLimitPlugin, { config });
  await app.register(metricsPlugin, { store: opened.store });
  await app.register(servicesPlugin, opened);
  await app.register(healthRoutes);
  await app.register(searchRoutes);
  await app.register(askRoutes);
  await app.register(chatCompletionsRoutes);
  await app.register(conversationRoutes);
  await app.register(sourceRoutes);
  await app.register(runRoutes);
  await app.register(keyRoutes);
  await app.register(mcpRoutes);
  await app.register(adminUiRoutes, { root: options.adminDir ?? defaultAdminDir });
  return app;
}
