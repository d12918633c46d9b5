import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { AskResult, Citation } from './types.js';

/** An error response of the API (`{error: {code, message}}`), or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const keyItem = 'cairn.adminKey';

/**
 * The admin key, where the API asks for one. Kept in sessionStorage: it is gone when the
 * browser session ends, and never written anywhere else.
 */
export const adminKey = {
  get: (): string | null => sessionStorage.getItem(keyItem),
  set: (key: string) => sessionStorage.setItem(keyItem, key.trim()),
  clear: () => sessionStorage.removeItem(keyItem),
};

type AuthListener = (error: ApiError) => void;
const authListeners = new Set<AuthListener>();

/** Called whenever the API answers 401 (no key, or a key it does not accept). */
export function onAuthRequired(listener: AuthListener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

async function errorFrom(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) return new ApiError(response.status, body.error.code, body.error.message ?? response.statusText);
  } catch {
    // Not our JSON error shape: fall through to the status.
  }
  return new ApiError(response.status, `http_${response.status}`, `The API answered ${response.status} ${response.statusText}.`);
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
  accept?: string;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const key = adminKey.get();
  if (key) headers.authorization = `Bearer ${key}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Could not reach the Cairn API; check that it is running.');
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401) for (const listener of authListeners) listener(error);
    throw error;
  }
  return response;
}

/** A JSON call to the API; throws ApiError for an error response. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export interface AskStreamHandlers {
  /** The numbered passages the answer may cite, as soon as retrieval is done. */
  citations?(citations: Citation[]): void;
  /** A piece of the answer as it is written. */
  token?(text: string): void;
}

/**
 * POST /v1/ask as Server-Sent Events: calls the handlers as events arrive and resolves
 * with the `done` event (the verified answer); an `error` event rejects with its code.
 */
export async function askStream(
  body: { question: string; conversationId?: string; k?: number },
  handlers: AskStreamHandlers,
  signal?: AbortSignal,
): Promise<AskResult> {
  const response = await send('/v1/ask', { body, signal, accept: 'text/event-stream' });
  if (!response.body) throw new ApiError(0, 'stream_unavailable', 'The browser gave no response stream.');
  const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { value: event, done } = await reader.read();
      if (done) break;
      const data = JSON.parse(event.data) as Record<string, unknown>;
      // Candidates first (what a model's tokens cite), then the answer's own numbering.
      if (event.event === 'candidates') handlers.citations?.(data.candidates as Citation[]);
      else if (event.event === 'citations') handlers.citations?.(data.citations as Citation[]);
      else if (event.event === 'token') handlers.token?.(data.text as string);
      else if (event.event === 'done') return data as unknown as AskResult;
      else if (event.event === 'error') {
        const error = data.error as { code: string; message: string };
        throw new ApiError(response.status, error.code, error.message);
      }
    }
  } finally {
    // Stop reading whatever follows (nothing should): the connection is released.
    await reader.cancel().catch(() => undefined);
  }
  throw new ApiError(0, 'stream_ended', 'The answer stream ended before the answer was complete; ask again.');
}
