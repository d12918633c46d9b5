import { gunzipSync } from 'node:zlib';
import { decodeBuffer } from 'encoding-sniffer';
import type { Dispatcher, fetch } from 'undici';
import { CairnError } from '@cairn/core';
import { assertFetchableUrl, ForbiddenUrlError, guardedLookup, type HostResolver, type PrivateNetworkAllowance } from './ssrf-guard.js';

/** The kinds of fetch failure: each is a code of the error table (docs/errors.md). */
export type FetchFailure = 'timeout' | 'too_large' | 'content_type' | 'too_many_redirects' | 'bad_redirect' | 'forbidden' | 'network';

/**
 * Why a fetch failed, coded by its kind; `permanent` failures are not worth a retry (the
 * queue fails their job at once), `forbidden` ones (robots.txt, the address guard) are
 * recorded as skipped.
 */
export class FetchError extends CairnError {
  declare readonly code: FetchFailure;

  constructor(
    readonly url: string,
    code: FetchFailure,
    message: string,
    readonly permanent: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause, details: { url, permanent } });
    this.name = 'FetchError';
  }
}

export interface FetchPolicy {
  userAgent: string;
  /** Whole request, headers and body: a slow drip is cut off when it runs out. */
  timeoutMs: number;
  /** Bytes of the decoded body: a decompression bomb is cut off when it passes this. */
  maxBytes: number;
  /** Content types (without parameters) that may be read; anything else fails permanently. */
  allowedTypes: readonly string[];
  maxRedirects: number;
  allowance: PrivateNetworkAllowance;
}

export const defaultFetchPolicy: Omit<FetchPolicy, 'userAgent' | 'allowance'> = {
  timeoutMs: 20_000,
  maxBytes: 5 * 1024 * 1024,
  allowedTypes: ['text/html', 'application/xhtml+xml'],
  maxRedirects: 5,
};

export type FetchResult =
  | {
      kind: 'ok';
      status: number;
      url: string;
      contentType: string;
      body: string;
      etag: string | null;
      lastModified: string | null;
      redirects: string[];
      /** The body was cut at the request's `keepFirstBytes`. */
      truncated?: true;
    }
  | { kind: 'not_modified'; status: 304; url: string; redirects: string[] }
  | { kind: 'http_error'; status: number; url: string; redirects: string[] };

export interface FetchRequest {
  url: string;
  /** Validators from the last fetch, for a conditional GET. */
  etag?: string | null;
  lastModified?: string | null;
  /** Called before each redirect hop is followed (robots, scope); throw to refuse it. */
  beforeRedirect?: (url: string) => Promise<void> | void;
  /** Overrides the policy's content types (robots.txt, sitemaps, feeds); `*` takes any. */
  allowedTypes?: readonly string[];
  /**
   * Keep only the first this many bytes of the body and stop reading there, instead of
   * failing as `too_large` past the policy's cap (robots.txt: RFC 9309 has a crawler parse
   * at least the first 500 KiB, and a longer file is read that far, not refused).
   */
  keepFirstBytes?: number;
  signal?: AbortSignal;
}

/** Content types of a gzipped document (not a Content-Encoding: the file itself is gzip). */
const gzipTypes = new Set(['application/gzip', 'application/x-gzip']);

/** A Location as it goes into a message and the ledger: quoted, and cut short if long. */
function quoteLocation(location: string): string {
  return JSON.stringify(location.length > 200 ? `${location.slice(0, 200)}…` : location);
}

/**
 * Where a redirect from `from` leads, or a permanent `bad_redirect` for a Location no
 * crawler may follow: not a URL (`http://[x`), no host (`http://`), or another scheme
 * (`file:`, `gopher:`, `data:`). A failure of the page, recorded as such, not a refusal.
 */
function redirectTarget(from: string, location: string): string {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch (error) {
    throw new FetchError(from, 'bad_redirect', `${from} redirects to ${quoteLocation(location)}, which is not a valid URL`, true, {
      cause: error,
    });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FetchError(
      from,
      'bad_redirect',
      `${from} redirects to ${quoteLocation(location)}: the scheme ${target.protocol} is not http or https, so the redirect is not followed`,
      true,
    );
  }
  return target.toString();
}

/**
 * The HTTP client of the crawler: one connection pool whose every DNS answer passes the
 * SSRF guard. Redirects are followed by hand so that each hop is checked again.
 */
export class PageFetcher {
  /**
   * undici and the pool, made at the first fetch: loading undici is about 0.1 s of a start,
   * and most processes that open a crawler (the API, `cairn ask`) may never fetch.
   */
  private client: Promise<{ fetch: typeof fetch; dispatcher: Dispatcher }> | undefined;

  /** `resolver` answers the guard's lookups (the system's by default). */
  constructor(
    private readonly policy: FetchPolicy,
    private readonly resolver?: HostResolver,
  ) {}

  private undici(): Promise<{ fetch: typeof fetch; dispatcher: Dispatcher }> {
    this.client ??= import('undici').then(({ Agent, fetch }) => ({
      fetch,
      dispatcher: new Agent({
        connect: { lookup: guardedLookup(this.policy.allowance, this.resolver), timeout: Math.min(this.policy.timeoutMs, 10_000) },
        headersTimeout: this.policy.timeoutMs,
        bodyTimeout: this.policy.timeoutMs,
      }),
    }));
    return this.client;
  }

  /**
   * The URL as this client would request it, or the permanent `forbidden` FetchError it
   * would fail with before any connection: not http(s), credentials, an address literal
   * the guard refuses (a name is checked when it resolves).
   */
  check(url: string): URL {
    try {
      return assertFetchableUrl(url, this.policy.allowance);
    } catch (error) {
      throw new FetchError(url, 'forbidden', (error as Error).message, true, { cause: error });
    }
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    const deadline = AbortSignal.timeout(this.policy.timeoutMs);
    const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
    const redirects: string[] = [];
    let url = request.url;
    for (;;) {
      this.check(url);
      const headers: Record<string, string> = {
        'user-agent': this.policy.userAgent,
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5',
      };
      if (request.etag && redirects.length === 0) headers['if-none-match'] = request.etag;
      if (request.lastModified && redirects.length === 0) headers['if-modified-since'] = request.lastModified;
      let response: Awaited<ReturnType<typeof fetch>>;
      try {
        const { fetch, dispatcher } = await this.undici();
        response = await fetch(url, { dispatcher, redirect: 'manual', headers, signal });
      } catch (error) {
        throw this.toFetchError(url, error, signal);
      }
      if ([301, 302, 303, 307, 308].includes(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        if (!location) return { kind: 'http_error', status: response.status, url, redirects };
        if (redirects.length >= this.policy.maxRedirects) {
          throw new FetchError(url, 'too_many_redirects', `More than ${this.policy.maxRedirects} redirects from ${request.url}`, true);
        }
        const next = redirectTarget(url, location);
        // The guard's refusal of the hop, before robots.txt is asked about it: the address is why.
        this.check(next);
        redirects.push(next);
        await request.beforeRedirect?.(next);
        url = next;
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'not_modified', status: 304, url, redirects };
      }
      if (response.status >= 400) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'http_error', status: response.status, url, redirects };
      }
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const allowed = request.allowedTypes ?? this.policy.allowedTypes;
      if (!allowed.includes('*') && !allowed.includes(contentType)) {
        await response.body?.cancel().catch(() => undefined);
        throw new FetchError(
          url,
          'content_type',
          `${url} is ${contentType || 'of no declared type'}, not one of ${allowed.map((type) => type || 'no declared type').join(', ')}`,
          true,
        );
      }
      const read = await this.readBody(url, response, signal, request.keepFirstBytes);
      const { truncated } = read;
      // A gzipped document (a sitemap.xml.gz) is unpacked, within the same cap as any body: a bomb stops at it.
      const body = gzipTypes.has(contentType) ? this.gunzip(url, read.body) : read.body;
      const text = decodeBody(
        body,
        response.headers.get('content-type') ?? '',
        gzipTypes.has(contentType) ? 'application/xml' : contentType,
      );
      return {
        kind: 'ok',
        status: response.status,
        url,
        contentType,
        body: text,
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
        redirects,
        ...(truncated ? { truncated } : {}),
      };
    }
  }

  /**
   * Reads the decoded body, stopping as soon as it passes the size cap; with `keepFirst`,
   * stopping there and keeping what came before it.
   */
  private async readBody(
    url: string,
    response: Awaited<ReturnType<typeof fetch>>,
    signal: AbortSignal,
    keepFirst?: number,
  ): Promise<{ body: Uint8Array; truncated?: true }> {
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (keepFirst === undefined && declared > this.policy.maxBytes && !response.headers.get('content-encoding')) {
      await response.body?.cancel().catch(() => undefined);
      throw new FetchError(url, 'too_large', `${url} declares ${declared} bytes; the limit is ${this.policy.maxBytes}`, true);
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    let truncated: true | undefined;
    const reader = response.body?.getReader();
    if (!reader) return { body: new Uint8Array() };
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (keepFirst !== undefined && size + value.byteLength > keepFirst) {
          parts.push(value.subarray(0, keepFirst - size));
          size = keepFirst;
          truncated = true;
          await reader.cancel().catch(() => undefined);
          break;
        }
        size += value.byteLength;
        if (size > this.policy.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new FetchError(url, 'too_large', `${url} is larger than ${this.policy.maxBytes} bytes (decoded)`, true);
        }
        parts.push(value);
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw this.toFetchError(url, error, signal);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      body.set(part, offset);
      offset += part.byteLength;
    }
    return { body, truncated };
  }

  private gunzip(url: string, body: Uint8Array): Uint8Array {
    try {
      return gunzipSync(body, { maxOutputLength: this.policy.maxBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
        throw new FetchError(url, 'too_large', `${url} unpacks to more than ${this.policy.maxBytes} bytes`, true, { cause: error });
      throw new FetchError(url, 'content_type', `${url} is declared gzip but does not unpack: ${(error as Error).message}`, true, {
        cause: error,
      });
    }
  }

  private toFetchError(url: string, error: unknown, signal: AbortSignal): FetchError {
    if (signal.aborted) {
      const reason = signal.reason as Error | undefined;
      if (reason?.name === 'TimeoutError')
        return new FetchError(url, 'timeout', `${url} did not complete within ${this.policy.timeoutMs} ms`, false, { cause: error });
      return new FetchError(url, 'network', `${url}: cancelled`, false, { cause: error });
    }
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof ForbiddenUrlError || (cause as { code?: string } | undefined)?.code === 'ERR_FORBIDDEN_ADDRESS') {
      return new FetchError(url, 'forbidden', (cause as Error).message, true, { cause: error });
    }
    const detail =
      cause instanceof Error ? `${(cause as NodeJS.ErrnoException).code ?? ''} ${cause.message}`.trim() : (error as Error).message;
    return new FetchError(url, 'network', `${url}: ${detail}`, false, { cause: error });
  }

  async close(): Promise<void> {
    // A pool never made (no fetch yet) is made no more: a fetch after this fails as one would on a closed pool.
    const client = this.client;
    const closed = Promise.reject(new Error('the page fetcher is closed'));
    closed.catch(() => undefined);
    this.client = closed;
    const opened = await client?.catch(() => undefined);
    await opened?.dispatcher.close();
  }
}

/** The charset a Content-Type header names, its quotes removed (`charset="iso-8859-1"` is legal, RFC 9110). */
function headerCharset(header: string): string | undefined {
  const value = /charset\s*=\s*("?)([^";]+)\1/i.exec(header)?.[2]?.trim();
  return value || undefined;
}

/**
 * The body as text, in the encoding the page declares, found as a browser finds it (the
 * WHATWG encoding sniffing algorithm, encoding-sniffer: a byte order mark, the header's
 * charset, then for HTML a `<meta charset>` or `http-equiv` among its first 1,024 bytes),
 * UTF-8 when nothing says otherwise. An XML document (a sitemap, a feed) may name its encoding
 * in its declaration instead. Read as UTF-8 only, a Shift_JIS or Latin-1 page declared in a
 * meta tag became U+FFFD wherever it was not ASCII, and was stored and indexed so.
 */
function decodeBody(body: Uint8Array, header: string, contentType: string): string {
  const declared =
    headerCharset(header) ??
    (/xml/.test(contentType)
      ? /^(?:\uFEFF)?<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(new TextDecoder('latin1').decode(body.subarray(0, 200)))?.[1]
      : undefined);
  return decodeBuffer(Buffer.from(body.buffer, body.byteOffset, body.byteLength), {
    ...(declared ? { transportLayerEncodingLabel: declared } : {}),
    defaultEncoding: 'utf-8',
  });
}
