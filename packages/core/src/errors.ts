/**
 * The one table of error codes. Every error a client can see has a stable `code`, an
 * HTTP status and a description; `docs/errors.md` documents each code (a test checks).
 */
export const errorCodes = {
  invalid_request: { status: 400, description: 'The request does not match the route schema; the message names the field.' },
  question_empty: { status: 400, description: 'The question is empty or only white space.' },
  question_too_long: { status: 400, description: 'The question is longer than the documented limit (4,000 characters).' },
  query_empty: { status: 400, description: 'The search query is empty or only white space.' },
  query_too_long: { status: 400, description: 'The search query is longer than the documented limit (2,000 characters).' },
  invalid_json: { status: 400, description: 'The request body is not valid JSON.' },
  unauthorized: { status: 401, description: 'The route needs an API key, and the request has none, or one that is unknown or revoked.' },
  forbidden: { status: 403, description: "The API key lacks the scope the route needs." },
  not_found: { status: 404, description: 'No route matches the method and path.' },
  key_not_found: { status: 404, description: 'No API key has the given id.' },
  conversation_not_found: { status: 404, description: 'No conversation has the given id.' },
  message_not_found: { status: 404, description: 'No message has the given id.' },
  source_not_found: { status: 404, description: 'No source has the given id.' },
  run_not_found: { status: 404, description: 'No ingestion run has the given id.' },
  source_exists: { status: 409, description: 'A source with that name exists already.' },
  request_timeout: { status: 408, description: 'The request took longer than its time limit and was stopped.' },
  payload_too_large: { status: 413, description: 'The request body is larger than the limit.' },
  unsupported_media_type: { status: 415, description: 'The request body is not JSON.' },
  rate_limited: { status: 429, description: 'Too many requests from this key (or address) in the window; retry after the Retry-After header.' },
  ingest_queue_full: { status: 429, description: 'Too many ingestion runs are queued already.' },
  database_unavailable: { status: 503, description: 'The database cannot be reached; retry later.' },
  not_ready: { status: 503, description: 'The service is starting or a dependency is down; retry later.' },
  admin_not_built: { status: 503, description: 'The admin UI has not been built.' },
  embedding_failed: { status: 502, description: 'The embedding provider failed or returned a malformed response.' },
  model_failed: { status: 502, description: 'The chat model failed or returned an error after its retries.' },
  model_timeout: { status: 504, description: 'The chat model did not answer within CHAT_TIMEOUT_MS.' },
  internal_error: { status: 500, description: 'An unexpected error; the server log has the details under the request id.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** An error meant for clients: a stable code, its status, and a message that says how to fix it. */
export class CairnError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CairnError';
    this.code = code;
    this.statusCode = errorCodes[code].status;
    this.details = options.details;
  }
}

/** Raised at start when a setting is malformed or a required service cannot be reached. */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, message: string, options: { cause?: unknown } = {}) {
    super(`${variable}: ${message}`, { cause: options.cause });
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
