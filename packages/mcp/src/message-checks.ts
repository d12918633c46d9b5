import { jsonRpcErrorBody } from './tool-result.js';

/** A JSON-RPC message as the envelope checks read it. */
export interface JsonRpcMessage {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a value is, in words, for a message that says what was expected instead. */
const kindOf = (value: unknown) => (Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`);

/**
 * Why a parsed message is not a JSON-RPC 2.0 request, notification or response as MCP takes
 * them, or undefined when it is one: an `id` is a string or an integer, `params` an object.
 */
export function envelopeProblem(message: unknown): string | undefined {
  if (!isPlainObject(message))
    return 'The message is JSON but not a JSON-RPC message: send an object with "jsonrpc": "2.0" and a "method".';
  if (message.jsonrpc !== '2.0') return `"jsonrpc" must be "2.0", not ${JSON.stringify(message.jsonrpc ?? null)}.`;
  if ('id' in message && message.id !== null && typeof message.id !== 'string' && !Number.isSafeInteger(message.id))
    return `"id" must be a string or an integer, not ${typeof message.id === 'number' ? String(message.id) : kindOf(message.id)}.`;
  const response = 'result' in message || 'error' in message;
  // MCP's requests may not have a null id (the SDK's transport answered such a message with a bare parse error).
  if (!response && 'id' in message && message.id === null)
    return '"id" must be a string or an integer: MCP takes no null id (leave "id" out for a notification).';
  if (!response && typeof message.method !== 'string') return 'A JSON-RPC request needs a "method" (a string), such as "tools/list".';
  if ('params' in message && message.params !== undefined && !isPlainObject(message.params))
    return `"params" must be an object (MCP takes no positional params), not ${kindOf(message.params)}.`;
  return undefined;
}

/**
 * A name that every object has (`toString`, `constructor`, `__proto__`…): the SDK looks tools and
 * prompts up in plain objects, finds the inherited function and calls the tool "disabled". No
 * tool or prompt of Cairn's is named so, so such a name is answered as the unknown name it is.
 */
const inheritedName = (name: string) => name in Object.prototype;

/** Why a tools/call's params are not `{name: string, arguments?: object}`, or undefined when they are (or it is no tools/call). */
export function toolCallParamsProblem(message: JsonRpcMessage): string | undefined {
  if (message.method !== 'tools/call') return undefined;
  const params = message.params;
  if (!isPlainObject(params) || typeof params.name !== 'string' || params.name === '')
    return 'tools/call needs params {"name": a tool\'s name, "arguments": an object}; tools/list names the tools.';
  if (inheritedName(params.name)) return `There is no tool named ${JSON.stringify(params.name)}; tools/list names the tools.`;
  if ('arguments' in params && params.arguments !== undefined && !isPlainObject(params.arguments))
    return `tools/call's "arguments" must be an object of the tool's arguments (tools/list gives each tool's schema), not ${kindOf(params.arguments)}.`;
  return undefined;
}

/** Why a prompts/get's params are not `{name: string, arguments?: {[name]: string}}` (MCP's prompt arguments are strings). */
export function promptGetParamsProblem(message: JsonRpcMessage): string | undefined {
  if (message.method !== 'prompts/get') return undefined;
  const params = message.params;
  if (!isPlainObject(params) || typeof params.name !== 'string' || params.name === '')
    return 'prompts/get needs params {"name": a prompt\'s name, "arguments": an object of strings}; prompts/list names the prompts.';
  if (inheritedName(params.name)) return `There is no prompt named ${JSON.stringify(params.name)}; prompts/list names the prompts.`;
  if ('arguments' in params && params.arguments !== undefined) {
    if (!isPlainObject(params.arguments)) return `prompts/get's "arguments" must be an object of strings, not ${kindOf(params.arguments)}.`;
    const [name, value] = Object.entries(params.arguments).find(([, value]) => typeof value !== 'string') ?? [];
    if (name !== undefined) return `prompts/get's argument "${name}" must be a string, not ${kindOf(value)}.`;
  }
  return undefined;
}

/** Methods whose params are at most a paging cursor. */
const listMethods = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']);

/**
 * Why the params of another method the SDK checks with its schema are not what it takes (its
 * own answer is -32603 with the schema's issues, raw: probe 33 L3), or undefined.
 */
function otherParamsProblem(message: JsonRpcMessage): string | undefined {
  const { method, params } = message;
  if (typeof method !== 'string') return undefined;
  if (listMethods.has(method)) {
    if (params === undefined) return undefined;
    if (!isPlainObject(params)) return `${method}'s params must be an object, not ${kindOf(params)}.`;
    if (params.cursor !== undefined && typeof params.cursor !== 'string')
      return `${method}'s "cursor" must be the string a previous page gave as nextCursor, not ${kindOf(params.cursor)}.`;
    return undefined;
  }
  if (method === 'resources/read') {
    if (!isPlainObject(params) || typeof params.uri !== 'string' || params.uri === '')
      return 'resources/read needs params {"uri": a resource\'s URI}; resources/list names them.';
    return undefined;
  }
  if (method === 'initialize') {
    const info = isPlainObject(params) ? params.clientInfo : undefined;
    if (
      !isPlainObject(params) ||
      typeof params.protocolVersion !== 'string' ||
      !isPlainObject(params.capabilities) ||
      !isPlainObject(info) ||
      typeof info.name !== 'string' ||
      typeof info.version !== 'string'
    )
      return 'initialize needs params {"protocolVersion": a string, "capabilities": an object, "clientInfo": {"name": a string, "version": a string}}.';
  }
  return undefined;
}

/** The message's id where it is one (a string or an integer), so that the client can match the error to its request; else null. */
function readableId(message: unknown): string | number | null {
  if (!isPlainObject(message)) return null;
  const { id } = message;
  return typeof id === 'string' || Number.isSafeInteger(id) ? (id as string | number) : null;
}

/**
 * Whether a message must get no reply, whatever is wrong with it: a notification (a method and no
 * id) or a response (a result or an error), as JSON-RPC 2.0 says; two peers that answered every
 * line could otherwise answer each other's errors for ever.
 */
export function expectsNoReply(message: unknown): boolean {
  if (!isPlainObject(message)) return false;
  return 'result' in message || 'error' in message || (typeof message.method === 'string' && !('id' in message));
}

/**
 * The error response for a parsed message the server would answer badly (the SDK answers a
 * message that is not JSON-RPC with -32700 "Parse error", or nothing on stdio, and bad params
 * with -32603 carrying its schema's issues), or undefined for a message to pass on. A batch
 * (an array) is refused: the protocol dropped batching in 2025-06-18.
 */
export function incomingMessageError(message: unknown): object | undefined {
  if (Array.isArray(message))
    return jsonRpcErrorBody(
      'invalid_request',
      'JSON-RPC batches are not taken: send one message per request (the protocol dropped batching in 2025-06-18).',
    );
  const envelope = envelopeProblem(message);
  if (envelope) return { ...jsonRpcErrorBody('invalid_request', envelope), id: readableId(message) };
  const params =
    toolCallParamsProblem(message as JsonRpcMessage) ??
    promptGetParamsProblem(message as JsonRpcMessage) ??
    otherParamsProblem(message as JsonRpcMessage);
  if (params) return { jsonrpc: '2.0', id: (message as JsonRpcMessage).id ?? null, error: { code: -32602, message: params } };
  return undefined;
}
