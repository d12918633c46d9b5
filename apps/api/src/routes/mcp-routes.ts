import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { WebStandardStreamableHTTPServerTransport as McpTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type * as McpModule from '@cairn/mcp';
import type { McpServices } from '@cairn/mcp';
import { checkBrowserOrigin, conversationCaller } from '../auth.js';
import { describeError, type RouteRefusal } from '../error-handler.js';
import { recordAnswer } from './ask-routes.js';
import { mcpRoute } from './mcp-route-path.js';

/** The Fastify request as the SDK's web-standard transport reads it (the body is passed parsed). */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(new URL(request.url, `http://${request.headers.host ?? '127.0.0.1'}`), { method: request.method, headers });
}

/** GET and DELETE answer 405 themselves: the Allow header of other methods leaves them out. */
const methodRefused: RouteRefusal = { refusesMethod: true };

/** What GET and DELETE answer: stateless, there is no stream to open and no session to end. */
async function methodNotAllowed(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .status(405)
    .header('allow', 'POST')
    .send({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32000,
        message: `Method not allowed: ${request.method} ${mcpRoute}. This server is stateless (no Mcp-Session-Id): POST each JSON-RPC message; it sends nothing unasked, so there is no stream to GET and no session to DELETE.`,
      },
    });
}

/**
 * The Model Context Protocol over Streamable HTTP at `/mcp`, on the API's own origin, with
 * the API's keys, scopes, rate limits and deadlines (see @cairn/mcp for the tools).
 *
 * Stateless: every POST is one JSON-RPC message, answered as JSON by a server built for it
 * (`sessionIdGenerator: undefined`, `enableJsonResponse: true`). Each call is authenticated,
 * scoped, rate-limited and bounded in time like any REST request; nothing is kept between
 * requests (conversations continue by `conversationId`), so the server holds no session
 * map to bound or expire, and replicas behind a load balancer need no sticky sessions.
 * Cairn sends nothing unasked (no notifications, sampling or elicitation), which is all
 * sessions and the GET stream would carry. The SDK's web-standard transport returns a
 * Response that is sent through Fastify, so the API's hooks (security headers, request id,
 * metrics, logs) apply to /mcp as to every route.
 *
 * Errors before a message reaches the server (a missing key, a scope, the rate limit, a
 * body that is not JSON, a batch) keep their HTTP status and come as a JSON-RPC error with
 * no id, the Cairn code in `error.data.code`; a tool's errors are results with `isError`.
 */
export const mcpRoutes: FastifyPluginAsync = async (app) => {
  const { store, retriever, ask, runner, persona, config } = app.cairn;
  // The MCP SDK is loaded at the first /mcp request, not at start (a third of a second).
  let loading: Promise<{ mcp: typeof McpModule; services: McpServices; Transport: typeof McpTransport }> | undefined;
  const load = () =>
    (loading ??= Promise.all([import('@cairn/mcp'), import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js')]).then(
      ([mcp, { WebStandardStreamableHTTPServerTransport }]) => ({
        mcp,
        Transport: WebStandardStreamableHTTPServerTransport,
        services: {
          store,
          retriever,
          // Counted at /metrics as /v1/ask's answers are.
          answers: {
            ask: async (input: Parameters<typeof ask.ask>[0]) => {
              const result = await ask.ask(input);
              recordAnswer(app, '/mcp', result);
              return result;
            },
          },
          runner,
          persona,
          limits: mcp.mcpLimits(config),
          log: (level, message, error) => app.log[level]({ err: error }, message),
        },
      }),
    ));

  // This plugin's routes answer errors (thrown by the auth, rate-limit and deadline hooks too) in JSON-RPC's shape.
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const { status, code, message } = describeError(error, request);
    if (code === 'unauthorized') reply.header('www-authenticate', 'Bearer realm="cairn"');
    const { mcp } = await load();
    return reply.status(status).send(mcp.jsonRpcErrorBody(code, message));
  });
  // The transport's security guidance (MCP, Streamable HTTP): a browser's `Origin` must be this
  // API's own or one of CORS_ORIGINS, with keys as well; without keys the auth hook has already
  // held every request to a loopback host (DNS rebinding; auth.ts, checkOpenRequest).
  app.addHook('onRequest', async (request) => checkBrowserOrigin(request, config.corsOrigins, mcpRoute));

  app.post(
    mcpRoute,
    {
      schema: {
        tags: ['mcp'],
        summary: 'The Model Context Protocol (Streamable HTTP, stateless): one JSON-RPC message per request',
        description:
          'Tools `search_passages`, `ask_cairn`, `get_document`, `list_sources`, and for admin keys `start_ingest_run` and `get_ingest_run`; ' +
          'each source as a resource (`cairn://sources/<name>`); the prompt `thought_partner`. Send `Accept: application/json, text/event-stream`. ' +
          'Needs a key with the ask scope; each tool checks its own. A refusal before the message is read (401, 403, 408, 413, 429, a batch) ' +
          'is a JSON-RPC error with no id and the Cairn code in `error.data.code`; a tool error is a result with `isError: true` whose text starts with the code. See README.md, "Cairn in AI assistants (MCP)".',
      },
    },
    async (request, reply) => {
      const message = request.body;
      const { mcp, services, Transport } = await load();
      // A batch, valid JSON that is not a JSON-RPC message (-32600; the SDK says -32700 "Parse error"), or bad params of a
      // tools/call or prompts/get (-32602 in words; the SDK sends -32603 with its schema's issues): answered here.
      const refused = mcp.incomingMessageError(message) as { error: { code: number } } | undefined;
      if (refused) return reply.status(refused.error.code === -32602 ? 200 : 400).send(refused);
      const toolCall = (message as { method?: unknown }).method === 'tools/call';
      const server = mcp.createCairnMcpServer(services, {
        scopes: request.caller ? request.caller.scopes : 'all',
        conversationCaller: conversationCaller(request.caller),
        // This server lives for one message: it lists only what the key may call, and answers a call beyond it with forbidden.
        hideToolsBeyondScope: !toolCall,
        trigger: 'api',
        signal: request.deadline,
      });
      const transport = new Transport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      try {
        await server.connect(transport);
        const response = await transport.handleRequest(webRequest(request), { parsedBody: message });
        reply.status(response.status);
        response.headers.forEach((value, name) => void reply.header(name, value));
        const text = await response.text();
        return text === '' ? reply.send() : reply.send(text);
      } finally {
        await server.close().catch(() => undefined);
      }
    },
  );
  app.get(
    mcpRoute,
    {
      config: methodRefused,
      schema: { tags: ['mcp'], summary: 'Not offered: the server is stateless and sends nothing unasked (405)' },
    },
    methodNotAllowed,
  );
  app.delete(
    mcpRoute,
    { config: methodRefused, schema: { tags: ['mcp'], summary: 'Not offered: there is no session to end (405)' } },
    methodNotAllowed,
  );
};
