import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CheckedStdioServerTransport } from './checked-stdio-transport.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The /mcp endpoint of a Cairn API given by its origin (`http://127.0.0.1:3000`) or by the endpoint itself. */
export function mcpEndpoint(url: string): URL {
  const endpoint = new URL(url);
  if (!endpoint.pathname.replace(/\/+$/, '').endsWith('/mcp')) endpoint.pathname = `${endpoint.pathname.replace(/\/+$/, '')}/mcp`;
  endpoint.hash = '';
  return endpoint;
}

export interface StdioHttpBridgeOptions {
  /** The API's /mcp endpoint (see `mcpEndpoint`). */
  endpoint: URL;
  /** Sent as `Authorization: Bearer`; never logged. */
  apiKey?: string | undefined;
  /** Where the bridge's own lines go (stderr: stdout carries only protocol messages). */
  log: (line: string) => void;
  stdin?: Readable;
  stdout?: Writable;
}

type JsonRpcError = { code: number; message: string; data?: unknown };

/** Why a request did not reach a server, in a word: the system's code (ECONNREFUSED) or fetch's reason (bad port). */
export function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * What the client hears when the API refused or could not be reached: the API's own
 * JSON-RPC error when its refusal carries one (401 `unauthorized`, 403, 429 `rate_limited`
 * with `data.code`), else a server error that says what happened.
 */
export function bridgedError(error: unknown, endpoint: URL): JsonRpcError {
  if (error instanceof StreamableHTTPError) {
    const body = /Error POSTing to endpoint: ([\s\S]*)$/.exec(error.message)?.[1];
    try {
      const parsed = JSON.parse(body ?? '') as { error?: JsonRpcError };
      if (parsed.error && typeof parsed.error.code === 'number' && typeof parsed.error.message === 'string') return parsed.error;
    } catch {
      // not a JSON-RPC body: described below
    }
    return {
      code: -32000,
      message: `The Cairn API at ${endpoint.origin} answered HTTP ${error.code}: ${error.message}`,
      data: { status: error.code },
    };
  }
  return {
    code: -32000,
    message: `Cannot reach the Cairn API at ${endpoint.origin} (${networkCause(error)}): is it running (cairn serve), and is --url right?`,
    data: { code: 'not_ready' },
  };
}

/**
 * `cairn mcp --url`: relays MCP between a desktop client on stdio and a running Cairn API's
 * Streamable HTTP endpoint, message for message, so that the API stays the one process on
 * its embedded database. The API's key, scopes, limits and tools apply as they are. A
 * request the API refuses or cannot take gets a JSON-RPC error answer, so that the client
 * is never left waiting. Resolves when stdin closes.
 */
export async function bridgeStdioToHttp(options: StdioHttpBridgeOptions): Promise<void> {
  const { endpoint, log } = options;
  // A malformed line is answered here, as the API would answer it, rather than dropped.
  const local = new CheckedStdioServerTransport(options.stdin, options.stdout);
  const remote = new StreamableHTTPClientTransport(endpoint, {
    requestInit: options.apiKey ? { headers: { authorization: `Bearer ${options.apiKey}` } } : {},
  });
  // The version the client and the API agree on goes in each later request's header, as the SDK's Client sets it.
  const initializeIds = new Set<string | number>();
  remote.onmessage = (message: JSONRPCMessage) => {
    if ('id' in message && message.id !== undefined && initializeIds.has(message.id) && 'result' in message) {
      initializeIds.delete(message.id);
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') remote.setProtocolVersion(version);
    }
    local.send(message).catch((error: unknown) => log(`cannot write to the client: ${(error as Error).message}`));
  };
  remote.onerror = (error) => log(`the Cairn API at ${endpoint.origin}: ${error.message}`);
  const closed = new Promise<void>((resolve) => {
    local.onclose = () => resolve();
    (options.stdin ?? process.stdin).once('end', () => void local.close());
  });
  local.onerror = (error) => log(`a message from the client could not be read: ${error.message}`);
  local.onmessage = (message) => {
    if (isJSONRPCRequest(message) && message.method === 'initialize') initializeIds.add(message.id);
    remote.send(message).catch((error: unknown) => {
      const answer = bridgedError(error, endpoint);
      if (!isJSONRPCRequest(message)) {
        log(`a notification to the API was not delivered: ${answer.message}`);
        return;
      }
      local.send({ jsonrpc: '2.0', id: message.id, error: answer }).catch(() => undefined);
    });
  };
  await remote.start();
  await local.start();
  await closed;
  await remote.close().catch(() => undefined);
}
