import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CairnError, errorCodes, refuseInvalidText, type ErrorCode } from '@cairn/core';
import { translateDatabaseError } from '@cairn/store';
import type { McpLog } from './mcp-services.js';

/** A tool's success: its text for the model, and the same data as structured content (the tool's outputSchema). */
export function toolResult(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** Where a tool error's code also rides, for programs: `_meta["cairn/error"]`. */
export const errorMetaKey = 'cairn/error';

/**
 * A tool error, as MCP has them: a result with `isError: true` that the client's model reads,
 * whose text starts with Cairn's stable error code (`forbidden: …`, the codes of
 * docs/errors.md), with the code and its HTTP status in `_meta["cairn/error"]` as well.
 *
 * It carries no `structuredContent`: the TypeScript SDK's Client checks any structured
 * content against the tool's outputSchema, error results included, and would replace the
 * error with a schema mismatch.
 */
export function toolError(error: CairnError): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
    _meta: { [errorMetaKey]: { code: error.code, status: error.statusCode } },
  };
}

/**
 * The CairnError a failed tool call reports: its own when it threw one, the deadline's when
 * its time ran out (the aborted call throws the abort's error), `database_unavailable` for a
 * lost database, else `internal_error` without internals (those go to the server's log).
 */
export function reportedError(error: unknown, signal: AbortSignal | undefined, log: McpLog | undefined, tool: string): CairnError {
  if (signal?.aborted && signal.reason instanceof CairnError) return signal.reason;
  // The client hung up (its request's signal aborted): its work was cancelled, which is no server error.
  if (signal?.aborted) {
    log?.('info', `${tool}: the client disconnected before the result; its work was cancelled`);
    return new CairnError('client_closed_request', `${tool} was cancelled: the client disconnected.`);
  }
  const translated = translateDatabaseError(error);
  if (translated instanceof CairnError) {
    if (translated.statusCode >= 500) log?.('error', `${tool}: ${translated.message}`, translated.cause ?? translated);
    return translated;
  }
  log?.('error', `${tool} failed`, error);
  return new CairnError('internal_error', `${tool} failed unexpectedly; the server log has the details.`);
}

/** Refuses arguments that hold a NUL, a lone surrogate or a bidirectional control, as the REST routes do (`invalid_text`). */
export function checkArgumentText(args: unknown, root = 'arguments'): void {
  refuseInvalidText(args, root);
}

/**
 * The JSON-RPC error code that stands for a Cairn error code where the transport answers
 * without a tool (HTTP-level refusals of `/mcp`, and the `cairn mcp --url` proxy): a body
 * that is not JSON is a parse error, a request of the wrong shape an invalid request, the
 * time limit the SDK's RequestTimeout, and every other refusal (keys, scopes, rate limits,
 * size) the implementation-defined server error -32000, with the Cairn code in `data.code`.
 */
export function jsonRpcCodeFor(code: ErrorCode): number {
  if (code === 'invalid_json') return -32700;
  if (['invalid_request', 'invalid_text', 'payload_too_large', 'unsupported_media_type'].includes(code)) return -32600;
  if (code === 'request_timeout') return -32001;
  return -32000;
}

/** A JSON-RPC error response (no id: the request could not be read, or was refused before it was) for a Cairn error. */
export function jsonRpcErrorBody(code: ErrorCode, message: string, id: string | number | null = null) {
  return { jsonrpc: '2.0' as const, id, error: { code: jsonRpcCodeFor(code), message, data: { code, status: errorCodes[code].status } } };
}
