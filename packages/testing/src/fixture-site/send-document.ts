import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A response body the site can validate conditionally: its bytes, type and modification time. */
export interface ServedDocument {
  body: string | Buffer;
  contentType: string;
  /** Milliseconds since the epoch, whole seconds (HTTP dates carry no more). */
  lastModified: number;
}

/** A strong validator: the quoted start of the body's SHA-1, so any edit changes it. */
export function entityTag(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
}

/**
 * Whether the client's copy is current, by RFC 9110 section 13.2.2: `If-None-Match` decides when
 * present (weak comparison), and only without it does `If-Modified-Since` count.
 */
function isNotModified(request: IncomingMessage, tag: string, lastModified: number): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && lastModified <= since;
}

/** Sends a document with `ETag` and `Last-Modified`, or 304 with no body when the client's copy is current. */
export function sendDocument(request: IncomingMessage, response: ServerResponse, document: ServedDocument): void {
  const tag = entityTag(document.body);
  const validators = { etag: tag, 'last-modified': new Date(document.lastModified).toUTCString() };
  if (isNotModified(request, tag, document.lastModified)) {
    response.writeHead(304, validators);
    response.end();
    return;
  }
  response.writeHead(200, {
    ...validators,
    'content-type': document.contentType,
    'content-length': Buffer.byteLength(document.body),
  });
  response.end(request.method === 'HEAD' ? undefined : document.body);
}
