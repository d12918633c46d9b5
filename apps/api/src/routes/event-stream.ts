import type { FastifyReply, FastifyRequest } from 'fastify';
import { CairnError, type ErrorCode } from '@cairn/core';
import { preferredMediaType } from './negotiate.js';

/** Server-Sent Events on a hijacked reply. */
export interface EventStream {
  /** Sends one event: `event: name` (omitted for OpenAI-style data-only streams) and its JSON data. */
  send(event: string | null, data: unknown): void;
  /** Sends a raw data line (`data: [DONE]`). */
  sendData(text: string): void;
  end(): void;
}

/**
 * Whether the client prefers Server-Sent Events to JSON, by the Accept header's preferences
 * (negotiator: q-values, wildcards, order): `text/event-stream;q=0, application/json` and
 * `application/json, text/event-stream;q=0.5` get JSON, `text/event-stream` and `text/*` the
 * stream; no Accept, or one naming neither, JSON.
 */
export function wantsEventStream(request: FastifyRequest): boolean {
  return preferredMediaType(request, answerMediaTypes) === 'text/event-stream';
}

/** What an answer can be sent as, the default first. */
const answerMediaTypes = ['application/json', 'text/event-stream'];

/**
 * Why work was cancelled when its client closed the connection first: nobody is left to
 * answer, so it is logged at info as a cancelled request (describeError, streamedError), not as
 * an error. Not a CairnError, so that `timedOut` tells it from the request's time limit.
 */
export class ClientDisconnectedError extends Error {
  override name = 'ClientDisconnectedError';
  constructor() {
    super('the client disconnected before the response was complete');
  }
}

/**
 * Cancels `controller` when the client goes away before the reply is complete: a closed
 * connection stops the work done for it (the model call first of all).
 */
export function abortOnDisconnect(reply: FastifyReply, controller: AbortController): void {
  reply.raw.on('close', () => {
    if (!reply.raw.writableEnded) controller.abort(new ClientDisconnectedError());
  });
  // The request's time limit stops the work too.
  const deadline = reply.request.deadline as AbortSignal | null;
  if (deadline) {
    if (deadline.aborted) controller.abort(deadline.reason);
    else deadline.addEventListener('abort', () => controller.abort(deadline.reason), { once: true });
  }
}

/** Whether an abort was the request's time limit (to be reported), not a client gone away (nobody to tell). */
export const timedOut = (signal: AbortSignal) => signal.aborted && signal.reason instanceof CairnError;

/** Starts an event stream on `reply` (from here on, Fastify's reply is bypassed). */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  // Answered already (the request deadline's own 408, when the work under it did not stop in time): the stream
  // then writes nothing, rather than failing on headers sent.
  const answered = reply.raw.headersSent;
  reply.hijack();
  if (!answered)
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
  const write = (text: string) => {
    if (!reply.raw.writableEnded && !reply.raw.destroyed) reply.raw.write(text);
  };
  return {
    send(event, data) {
      write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    },
    sendData(text) {
      write(`data: ${text}\n\n`);
    },
    end() {
      if (!reply.raw.writableEnded) reply.raw.end();
    },
  };
}

/** An error as the `error` event carries it: a client error as it is, anything else without internals. */
export function streamedError(request: FastifyRequest, error: unknown): { error: { code: ErrorCode; message: string } } {
  if (error instanceof CairnError) {
    if (error.statusCode >= 500) request.log.error({ err: error.cause ?? error }, error.message);
    return { error: { code: error.code, message: error.message } };
  }
  if (error instanceof ClientDisconnectedError) {
    request.log.info('the client disconnected before the answer ended; its work was cancelled');
    return { error: { code: 'client_closed_request', message: error.message } };
  }
  request.log.error({ err: error }, 'unhandled error in a stream');
  return {
    error: { code: 'internal_error', message: `An unexpected error; the server log has the details under request id ${request.id}.` },
  };
}
