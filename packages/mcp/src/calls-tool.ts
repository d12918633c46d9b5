// Its own module (and export, `@cairn/mcp/calls-tool`): the API's rate limiter reads it for
// every request, without loading the MCP SDK that the rest of this package needs.
/** Whether a JSON-RPC message (a parsed /mcp body) calls `tool`: answers count against the answers' rate limit. */
export function callsTool(message: unknown, tool: string): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  return method === 'tools/call' && typeof params === 'object' && params !== null && params.name === tool;
}
