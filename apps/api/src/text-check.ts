import fp from 'fastify-plugin';
import { refuseInvalidText } from '@cairn/core';
import { mcpRoute } from './routes/mcp-route-path.js';

// The policy itself lives in @cairn/core, shared with the MCP server's argument check.
export { findInvalidCharacter, type InvalidCharacter } from '@cairn/core';

/**
 * One policy for the text of every route, before its schema is checked: a string of the
 * body (a property name included), a query value or a path parameter that holds NUL, a
 * lone surrogate or a bidirectional control is refused with 400 `invalid_text`, free text
 * (questions, comments, chat messages) as much as names, ids and URLs. Nothing is cleaned
 * silently, so what is stored is what was sent.
 *
 * `/mcp` is the exception: its body is a JSON-RPC envelope, and the MCP server checks each
 * tool's and prompt's arguments with the same policy, answering `invalid_text` as a tool
 * error that the client's model can act on (stdio has no HTTP layer to do it).
 */
export const textCheckPlugin = fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      if (request.routeOptions.url === mcpRoute) return;
      for (const [part, value] of [
        ['params', request.params],
        ['querystring', request.query],
        ['body', request.body],
      ] as const)
        refuseInvalidText(value, part);
    });
  },
  { name: 'cairn-text-check' },
);
