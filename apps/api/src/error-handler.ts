import { Transform } from 'node:stream';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CairnError, errorCodes, type ErrorCode } from '@cairn/core';
import { ClientDisconnectedError } from './routes/event-stream.js';

/** Fastify's own errors that are the client's doing, mapped to our codes. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

/** Our words for those whose own message would mislead. */
const fastifyMessages: Record<string, string> = {
  // The JSON parser (secure-json-parse) refuses valid JSON with a prototype-polluting key too, and says neither.
  FST_ERR_CTP_INVALID_JSON_BODY:
    'The request body is not valid JSON, or it has a "__proto__" or "constructor.prototype" key (refused, as they could change every object).',
};

export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/**
 * Answers what Node refuses before a request reaches Fastify (the request did not arrive
 * whole in time, headers too large, not HTTP) in the one error shape, then closes the
 * connection. Bound to the Fastify instance, like Fastify's own handler it replaces.
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message]: [number, string, ErrorCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'request_timeout', 'The request did not arrive whole within its time limit; send it faster.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'invalid_request', 'The request headers are larger than the server takes.']
        : [400, 'Bad Request', 'invalid_request', 'The request is not valid HTTP.'];
  this.log.debug({ err: error }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(errorBody(code, message));
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** What an error is answered with: its status, stable code and message (5xx: no internals). */
export interface DescribedError {
  status: number;
  code: ErrorCode;
  message: string;
}

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** A value the schema allowed, in words: a type ("a string"), a constant (`"text"`), null. */
function alternative(issue: ValidationIssue): string[] {
  const params = issue.params as { type?: string; allowedValue?: unknown; allowedValues?: unknown[] };
  if (issue.keyword === 'const') return [JSON.stringify(params.allowedValue)];
  if (issue.keyword === 'enum') return (params.allowedValues ?? []).map((value) => JSON.stringify(value));
  if (issue.keyword !== 'type' || !params.type) return [];
  return params.type.split(',').map((type) => (type === 'null' ? 'null' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`));
}

/**
 * What is wrong with a request, in words, from ajv's issues (it stops at the first, except in a
 * union, where each branch adds its own before the union's "must match a schema in anyOf"):
 * the property that is not taken, the values an enum allows, and for a union either what its
 * branches allow ("must be a string, an array or null") or, where a branch was followed into
 * the value (an array of parts, an object), the issue found there.
 */
export function validationMessage(issues: readonly ValidationIssue[], context: string): string {
  const place = (issue: ValidationIssue | undefined) => `${context}${issue?.instancePath ?? ''}`.replace(/\//g, '.');
  const union = issues.find((issue) => issue.keyword === 'anyOf' || issue.keyword === 'oneOf');
  let first = issues[0];
  if (union) {
    const branches = issues.filter((issue) => issue !== union);
    const deeper = branches.filter((issue) => issue.instancePath.length > union.instancePath.length);
    const alternatives = [...new Set(branches.flatMap(alternative))];
    if (deeper.length === 0 && alternatives.length > 0) {
      const listed = alternatives.length === 1 ? alternatives[0] : `${alternatives.slice(0, -1).join(', ')} or ${alternatives.at(-1)}`;
      return `${place(union)} must be ${listed}`;
    }
    // The value was of a branch's kind (an array, an object): what that branch found wrong inside it.
    first = deeper.sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? first;
  }
  const params = (first?.params ?? {}) as { allowedValues?: unknown[]; additionalProperty?: string };
  // "must be equal to one of the allowed values" says which only with them; "must NOT have additional properties" names none;
  // "must be string" reads better as "must be a string".
  const message =
    first?.keyword === 'enum' && params.allowedValues
      ? `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`
      : first?.keyword === 'additionalProperties' && params.additionalProperty !== undefined
        ? `has a property it does not take: ${JSON.stringify(params.additionalProperty)}`
        : first?.keyword === 'type' && alternative(first).length > 0
          ? `must be ${alternative(first).join(' or ')}`
          : first?.message;
  return `${place(first)} ${message ?? 'is invalid'}`;
}

/**
 * The status, code and message an error thrown while handling `request` is answered with.
 * A 5xx never carries internals (no SQL, no stack): those go to the log, under the request
 * id that the message names.
 */
export function describeError(error: FastifyError, request: FastifyRequest): DescribedError {
  if (error instanceof CairnError) {
    if (error.statusCode >= 500) request.log.error({ err: error.cause ?? error }, error.message);
    return { status: error.statusCode, code: error.code, message: error.message };
  }
  if (error.validation) {
    return { status: 400, code: 'invalid_request', message: validationMessage(error.validation, error.validationContext ?? 'body') };
  }
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) return { status: errorCodes[mapped].status, code: mapped, message: fastifyMessages[error.code] ?? error.message };
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' };
  }
  // A refusal from a plugin (@fastify/static's 403 for a path it will not serve) keeps its meaning.
  if (error.statusCode === 403) return { status: 403, code: 'forbidden', message: error.message };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'invalid_request', message: error.message };
  }
  if (error instanceof ClientDisconnectedError) {
    request.log.info('the client disconnected before the response; its work was cancelled');
    return { status: errorCodes.client_closed_request.status, code: 'client_closed_request', message: error.message };
  }
  request.log.error({ err: error }, 'unhandled error');
  return {
    status: 500,
    code: 'internal_error',
    message: `An unexpected error; the server log has the details under request id ${request.id}.`,
  };
}

/**
 * What Fastify's router cannot route answers (its `frameworkErrors`): a path that is not
 * percent-encoded UTF-8 (`%ED%A0%80`, `%FF`), or a path segment longer than a parameter takes
 * (`maxParamLength`, 100). In the one error shape, 400 `invalid_request`, without echoing the
 * path (it may be kilobytes long).
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A segment of the path is longer than any id the API takes (at most 100 characters).'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The path is not valid percent-encoded UTF-8.'
        : 'The request could not be routed.';
  void reply.status(400).send(errorBody('invalid_request', message));
}

/** Route config of a route that exists only to answer 405 with a message of its own (see registerErrorHandling). */
export interface RouteRefusal {
  refusesMethod: true;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    refusesMethod?: true;
  }
}

/**
 * One error shape for every route: `{error: {code, message}}` with a stable code and the
 * right status (see `describeError`). `/mcp` answers its own in JSON-RPC's shape.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, code, message } = describeError(error, request);
    // Every chat slot (or database connection) busy: one frees within seconds, as answers end.
    if (code === 'model_busy' || code === 'database_busy') reply.header('retry-after', '5');
    return reply.status(status).send(errorBody(code, message));
  });

  // Every route's method and path, so that a path served under other methods answers 405 with
  // the methods it takes (RFC 9110 §15.5.6), not 404 as if it did not exist.
  const routes: { method: string; path: RegExp }[] = [];
  // Catch-alls of every path (@fastify/cors's `OPTIONS *` for preflights) say nothing of which paths exist.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (url === '*' || url === '/*') return;
    // A route that only answers 405 itself (and the HEAD route Fastify adds beside its GET) is no method the path takes.
    if (route.config?.refusesMethod) return;
    for (const method of [route.method].flat()) routes.push({ method, path: routePattern(url) });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = [...new Set(routes.filter((route) => route.path.test(path)).map((route) => route.method))];
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const methods = allowed.sort().join(', ');
      return reply
        .status(405)
        .header('allow', methods)
        .send(errorBody('method_not_allowed', `${request.method} is not a method of ${path}; it takes ${methods}.`));
    }
    return reply.status(404).send(errorBody('not_found', `No route ${request.method} ${path}; see /docs for the API.`));
  });

  // A request with an empty body and a JSON content type, of a method whose routes here take no
  // body (clients that set the header on every request send DELETE so): read as no body, where
  // Fastify's parser refuses it as empty JSON. A POST, PUT or PATCH with an empty JSON body is
  // still refused (invalid_json): there a body is expected.
  app.addHook('onRequest', async (request) => {
    // No body is "content-length: 0", or neither a length nor a chunked transfer (what fetch() and curl send for a DELETE).
    const noBody =
      request.headers['content-length'] === '0' ||
      (request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined);
    if (bodylessMethods.has(request.method) && noBody) delete request.headers['content-type'];
    refuseUnreadableBody(request);
  });
  // JSON is UTF-8 (RFC 8259): a body whose bytes are not is refused, where the parser read each bad byte as U+FFFD and
  // the question was stored so.
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!/\bjson\b/i.test(request.headers['content-type'] ?? '')) return payload;
    const checked = utf8Check();
    // A client that hangs up mid-body ends the check too, as it ended the body.
    payload.on('error', (error) => checked.destroy(error));
    return payload.pipe(checked);
  });
}

/** A pass-through stream that fails with `invalid_json` at the first byte sequence that is not UTF-8. */
function utf8Check(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const refuse = () =>
    new CairnError('invalid_json', `The request body is not valid UTF-8 (after byte ${offset}): send the JSON encoded as UTF-8.`);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        callback(refuse());
        return;
      }
      offset += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      try {
        decoder.decode();
      } catch {
        callback(refuse());
        return;
      }
      callback();
    },
  });
}

/**
 * A body the JSON parser would misread rather than refuse: compressed (`Content-Encoding:
 * gzip`, read as bytes of text, answered `invalid_json`) or in another charset
 * (`charset=utf-16`, read as UTF-8). 415 `unsupported_media_type`, saying what is taken.
 */
function refuseUnreadableBody(request: FastifyRequest): void {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new CairnError('unsupported_media_type', `Content-Encoding ${encoding} is not taken: send the JSON body uncompressed.`);
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8')
    throw new CairnError('unsupported_media_type', `charset=${charset} is not taken: send the JSON body as UTF-8.`);
}

const bodylessMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS']);

/** A route's path pattern (`/v1/sources/:id`, `/admin/*`) as a regular expression over request paths. */
export function routePattern(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
