/**
 * The one table of error codes. Every error Cairn raises on purpose has a stable `code`,
 * an HTTP status and a description: the errors a client of the API can see, and those of
 * ingestion, start-up and the store, which reach run records, logs and the command line
 * (their status is the one a route would answer with). `docs/errors.md` documents each
 * code, and documents no other (a test checks both ways).
 */
export const errorCodes = {
  invalid_request: { status: 400, description: 'The request does not match the route schema; the message names the field.' },
  question_empty: { status: 400, description: 'The question is empty or only white space.' },
  question_too_long: { status: 400, description: 'The question is longer than the documented limit (4,000 characters).' },
  query_empty: { status: 400, description: 'The search query is empty or only white space.' },
  query_too_long: { status: 400, description: 'The search query is longer than the documented limit (2,000 characters).' },
  invalid_json: { status: 400, description: 'The request body is not valid JSON.' },
  invalid_text: {
    status: 400,
    description: 'A text field, query value or path parameter holds a NUL, a lone surrogate or a bidirectional control character.',
  },
  invalid_schedule: { status: 400, description: "A source's schedule is not a cron expression with its fields in range." },
  invalid_url: {
    status: 400,
    description: "A source's baseUrl or a seed is not an http(s) URL with a host, or carries a user name or password.",
  },
  invalid_pattern: {
    status: 400,
    description:
      "A source's include or exclude pattern is not one the crawler runs (RE2: no backreferences or lookaround), or is too complex.",
  },
  unauthorized: { status: 401, description: 'The route needs an API key, and the request has none, or one that is unknown or revoked.' },
  forbidden: {
    status: 403,
    description: 'The API key lacks the scope the route needs; in ingestion, robots.txt or the address guard refused a URL.',
  },
  not_found: { status: 404, description: 'No route matches the method and path.' },
  method_not_allowed: {
    status: 405,
    description: 'The path exists, but not for this method; the `Allow` header lists the methods it takes.',
  },
  key_not_found: { status: 404, description: 'No API key has the given id.' },
  conversation_not_found: { status: 404, description: 'No conversation has the given id.' },
  message_not_found: { status: 404, description: 'No message has the given id.' },
  source_not_found: { status: 404, description: 'No source has the given id.' },
  run_not_found: { status: 404, description: 'No ingestion run has the given id.' },
  document_not_found: {
    status: 404,
    description: "No stored page has the given id, passage id or URL (the MCP server's get_document).",
  },
  source_exists: { status: 409, description: 'A source with that name exists already.' },
  no_admin_key: {
    status: 409,
    description:
      'The key would leave no active admin key while keys are required (a first key without the admin scope, or the last admin key revoked while other keys stay).',
  },
  run_finished: {
    status: 409,
    description: 'The ingestion run has ended already (succeeded, failed or cancelled), so it cannot be cancelled.',
  },
  request_timeout: { status: 408, description: 'The request took longer than its time limit and was stopped.' },
  client_closed_request: {
    status: 499,
    description: 'The client closed the connection before the response; the work under it was cancelled (logged, never sent).',
  },
  payload_too_large: { status: 413, description: 'The request body is larger than the limit.' },
  unsupported_media_type: {
    status: 415,
    description: 'The request body is not JSON, or not plain UTF-8 (a Content-Encoding such as gzip, a charset other than UTF-8).',
  },
  rate_limited: {
    status: 429,
    description: 'Too many requests from this key (or address) in the window; retry after the Retry-After header.',
  },
  ingest_queue_full: { status: 429, description: 'Too many ingestion runs are queued already.' },
  database_unavailable: { status: 503, description: 'The database cannot be reached; retry later.' },
  database_busy: {
    status: 503,
    description:
      'No database connection came free within the wait for one (in use: a table locked by other work, a long query; or still being opened); retry after the Retry-After header.',
  },
  not_ready: { status: 503, description: 'The service is starting or a dependency is down; retry later.' },
  admin_not_built: { status: 503, description: 'The admin UI has not been built.' },
  embedding_failed: { status: 502, description: 'The embedding provider failed or returned a malformed response.' },
  model_failed: { status: 502, description: 'The chat model failed or returned an error after its retries.' },
  model_timeout: { status: 504, description: 'The chat model did not answer within CHAT_TIMEOUT_MS.' },
  model_busy: {
    status: 503,
    description: 'Every chat model slot is in use and CHAT_MAX_QUEUED calls wait already; retry after a few seconds.',
  },
  prompt_too_large: {
    status: 500,
    description: "The persona and the question alone do not fit the chat model's context (CHAT_CONTEXT_TOKENS less the answer's reserve).",
  },
  internal_error: { status: 500, description: 'An unexpected error; the server log has the details under the request id.' },

  // Ingestion: recorded on a run's items and in the worker's log. A fetch failure's code
  // is the kind of failure (FetchError); `forbidden` above is also a refused URL.
  timeout: { status: 504, description: "Fetching a page did not complete within the crawler's time limit." },
  network: { status: 502, description: 'Fetching a page failed on the network (DNS, connection refused or reset, a cancelled request).' },
  too_large: { status: 502, description: "A fetched page is larger than the crawler's size limit (declared or decoded)." },
  content_type: { status: 502, description: 'A fetched page is not of a type the crawler reads (HTML, or XML for sitemaps and feeds).' },
  too_many_redirects: { status: 502, description: 'A page redirects more times than the crawler follows.' },
  bad_redirect: {
    status: 502,
    description: 'A page redirects to a Location the crawler cannot follow: not http(s) (file:, gopher:, data:), no host, or not a URL.',
  },
  page_unparseable: {
    status: 422,
    description: 'A fetched page holds no article the extractor can read (an index page, a page of links, no text).',
  },
  note_unparseable: {
    status: 422,
    description: 'A note of a directory source has no title, no text, bad front matter or a malformed url.',
  },
  directory_unreadable: {
    status: 400,
    description: 'The directory to ingest cannot be read (missing, not a directory, or not permitted).',
  },
  page_failed: {
    status: 502,
    description: 'A one-page ingestion job could not store its page; a transient failure is tried again, a permanent one ends the job.',
  },
  job_interrupted: {
    status: 503,
    description: 'An ingestion job stopped because its worker is shutting down; it goes back to the queue and resumes.',
  },
  invalid_chunk_options: { status: 500, description: 'The chunker was given a bound it cannot keep (maxTokens below 8).' },

  // Start-up, the store and the embedding models: the process stops, or a job fails.
  invalid_config: { status: 500, description: 'A setting is malformed or a required service cannot be reached at start (ConfigError).' },
  embedding_model_unavailable: {
    status: 500,
    description:
      'This configuration cannot build an embedder for the model named (an unknown local model, or an OpenAI model without OPENAI_API_KEY).',
  },
  invalid_embedding_model: {
    status: 500,
    description:
      'An embedding model id is empty, longer than 100 characters or has characters outside [A-Za-z0-9._:/@-], or its dimensions are outside 1 to 2000.',
  },
  embedding_dimensions_mismatch: { status: 500, description: 'An embedding model is registered already with other dimensions.' },
  migration_invalid: {
    status: 500,
    description: 'A migration file is misnamed (not NNNN_verb_noun.sql) or shares its version with another.',
  },
  migration_changed: { status: 500, description: 'A migration file changed after it was applied (migrations are forward-only).' },
  migration_failed: { status: 500, description: "A migration's SQL failed; it was rolled back." },
  data_dir_in_use: {
    status: 409,
    description:
      'The embedded database under CAIRN_DATA_DIR is open in another live process (PGlite takes one at a time); a ConfigError, exit status 2.',
  },
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

/**
 * Raised at start when a setting is malformed or a required service cannot be reached
 * (code `invalid_config`); the message starts with the variable to fix.
 */
export class ConfigError extends CairnError {
  readonly variable: string;

  constructor(variable: string, message: string, options: { cause?: unknown } = {}) {
    super('invalid_config', `${variable}: ${message}`, { cause: options.cause, details: { variable } });
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
