import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blogPosts } from './blog-posts.js';
import { toWholeSeconds } from './fixture-post.js';
import { hostileRedirects } from './hostile-redirects.js';
import { sendGzipBomb, sendHugeBody, sendSlowDrip } from './hostile-responses.js';
import { hugoPosts } from './hugo-posts.js';
import { injectionDocuments, injectionPathPrefix } from './injection-pages.js';
import { renderAtomFeed, renderRssFeed } from './render-feeds.js';
import { hugoSiteName, renderHugoPage } from './render-hugo-page.js';
import { renderSitemapIndex, renderUrlSet, type SitemapEntry } from './render-sitemaps.js';
import { htmlContentType, seedDocuments, siteBuiltAt } from './seed-documents.js';
import { sendDocument, type ServedDocument } from './send-document.js';
import { syntheticPost } from './synthetic-post.js';

export type { FixturePost } from './fixture-post.js';
export { blogPosts } from './blog-posts.js';
export { hiddenTextPost, injectedPhrase } from './hidden-text-post.js';
export { hostileRedirects } from './hostile-redirects.js';
export { gzipBombInflatedBytes, hugeBodyBytes, slowDrip } from './hostile-responses.js';
export { hugoPosts, privateDraftPost } from './hugo-posts.js';
export {
  attackerHosts,
  injectionPages,
  injectionPathPrefix,
  toTagCharacters,
  type InjectionFamily,
  type InjectionPage,
} from './injection-pages.js';
export { syntheticPost } from './synthetic-post.js';

/** One request the fixture site answered, for tests to assert on (politeness, revalidation). */
export interface FixtureSiteRequest {
  method: string;
  /** The request target as sent: path and query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The status answered, redirects and 304s included. */
  status: number;
  /** Other requests in progress when this one arrived (politeness: 0 for one at a time). */
  concurrent: number;
  /** When it arrived and when its response ended (Date.now()). */
  receivedAt: number;
  finishedAt: number;
}

export interface FixtureSite {
  /** Base URL, `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  /** Every request, in the order their response headers were sent. */
  requests: FixtureSiteRequest[];
  /**
   * Replaces or adds the HTML at a path, for re-crawl tests: the ETag follows the new HTML and
   * Last-Modified moves to now (or a second past the previous value, if that is later). An
   * existing document keeps its content type; a new one is HTML. A removed path comes back.
   */
  setPage(path: string, html: string): void;
  /** Makes a path answer 404 or 410 from now on (and drops it from sitemaps and feeds). */
  removePage(path: string, status: 404 | 410): void;
  /** Closes every connection, slow drips and streams included. */
  close(): Promise<void>;
}

export interface FixtureSiteOptions {
  /** Adds this many generated Hugo posts at `/bench/<n>/` (1-based) and `/sitemap-bench.xml`. */
  syntheticPages?: number;
  /** Leaves the generated posts out of every sitemap: a crawl finds them only through their links (each links to the next). */
  unlistedSyntheticPages?: boolean;
  /** Holds every response this long before answering, so that overlapping requests show. */
  responseDelayMs?: number;
}

type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

const errorTitles: Record<number, string> = { 404: 'Page not found', 405: 'Method not allowed', 410: 'Gone', 500: 'Internal server error' };

function sendErrorPage(request: IncomingMessage, response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const title = errorTitles[status] ?? 'Error';
  const html = `<!DOCTYPE html>\n<html lang="en-us"><head><meta charset="utf-8"><title>${status} ${title}</title></head>\n<body><main><h1>${title}</h1><p>Try the <a href="/">home page</a>.</p></main></body></html>\n`;
  response.writeHead(status, { ...headers, 'content-type': htmlContentType, 'content-length': Buffer.byteLength(html) });
  response.end(request.method === 'HEAD' ? undefined : html);
}

function sendRedirect(request: IncomingMessage, response: ServerResponse, status: 301 | 302, location: string): void {
  const text = `Redirecting to ${location}\n`;
  response.writeHead(status, { location, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(request.method === 'HEAD' ? undefined : text);
}

/** The path and query of a request target, whether origin-form (`/a?b`) or absolute-form. */
function splitTarget(target: string): { pathname: string; search: string } {
  if (!target.startsWith('/')) {
    const { pathname, search } = new URL(target, 'http://fixture.invalid');
    return { pathname, search };
  }
  const queryStart = target.indexOf('?');
  return queryStart === -1 ? { pathname: target, search: '' } : { pathname: target.slice(0, queryStart), search: target.slice(queryStart) };
}

/**
 * Serves a fixture web site on loopback for crawler tests: Hugo (ananke) posts under `/posts/`,
 * larahogan.me-shaped posts under `/blog/`, robots.txt, a sitemap index, RSS and Atom feeds,
 * conditional GET, redirects (chains, a loop, hops to private addresses, to other schemes and to no URL) and hostile responses
 * (slow drip, 20 MiB, gzip bomb, PDF, no content type, hidden text), and a prompt-injection
 * corpus under `/hostile/` listed only in `/hostile-sitemap.xml`. Every request is recorded.
 */
export async function startFixtureSite(options: FixtureSiteOptions = {}): Promise<FixtureSite> {
  const syntheticPages = options.syntheticPages ?? 0;
  const requests: FixtureSiteRequest[] = [];
  let siteUrl = '';
  let documents = new Map<string, ServedDocument>();
  const removed = new Map<string, 404 | 410>([['/gone/', 410]]);

  const syntheticNumber = (pathname: string): number | undefined => {
    const match = /^\/bench\/([1-9]\d*)\/$/.exec(pathname);
    const number = match ? Number(match[1]) : 0;
    return number >= 1 && number <= syntheticPages ? number : undefined;
  };
  // Built per request: rendering all of them up front would make a large site slow to start.
  // Unlisted, each post also links to the next in its text: the only way a crawl finds it.
  const syntheticArticle = (number: number) => {
    const post = syntheticPost(number);
    if (!options.unlistedSyntheticPages || number >= syntheticPages) return post;
    return { ...post, body: `${post.body}\n<p>This goes on in <a href="/bench/${number + 1}/">the next post of the series</a>.</p>` };
  };
  const syntheticDocument = (number: number): ServedDocument => ({
    body: renderHugoPage(syntheticArticle(number), {
      siteUrl,
      section: 'bench',
      previous: number > 1 ? syntheticPost(number - 1) : undefined,
      next: number < syntheticPages ? syntheticPost(number + 1) : undefined,
    }),
    contentType: htmlContentType,
    lastModified: siteBuiltAt,
  });
  const findDocument = (pathname: string): ServedDocument | undefined => {
    const number = syntheticNumber(pathname);
    return documents.get(pathname) ?? (number === undefined ? undefined : syntheticDocument(number));
  };

  const pagesUnder = (prefix: string): SitemapEntry[] =>
    [...documents]
      .filter(([path, document]) => path.startsWith(prefix) && path !== prefix && document.contentType === htmlContentType)
      .map(([path, document]) => ({ url: `${siteUrl}${path}`, lastModified: document.lastModified }));
  const syntheticEntries = (): SitemapEntry[] =>
    Array.from({ length: syntheticPages }, (_, index) => `/bench/${index + 1}/`)
      .filter((path) => !removed.has(path))
      .map((path) => ({ url: `${siteUrl}${path}`, lastModified: documents.get(path)?.lastModified ?? siteBuiltAt }));
  const childSitemaps: Record<string, () => SitemapEntry[]> = {
    '/sitemap-posts.xml': () => pagesUnder('/posts/'),
    '/sitemap-blog.xml': () => pagesUnder('/blog/'),
    ...(syntheticPages > 0 && !options.unlistedSyntheticPages ? { '/sitemap-bench.xml': syntheticEntries } : {}),
  };
  const newest = (entries: SitemapEntry[]) =>
    entries.length === 0 ? siteBuiltAt : entries.reduce((latest, entry) => Math.max(latest, entry.lastModified), 0);
  const sendXml = (request: IncomingMessage, response: ServerResponse, body: string, contentType: string, lastModified: number) =>
    sendDocument(request, response, { body, contentType: `${contentType}; charset=utf-8`, lastModified });
  const stillServed = <T extends { path: string }>(posts: T[]) => posts.filter((post) => documents.has(post.path));

  const redirect =
    (status: 301 | 302, location: () => string): RouteHandler =>
    (request, response) =>
      sendRedirect(request, response, status, location());
  const routes = new Map<string, RouteHandler>([
    [
      '/sitemap.xml',
      (request, response) => {
        const sitemaps = Object.entries(childSitemaps).map(([path, entries]) => ({
          url: `${siteUrl}${path}`,
          lastModified: newest(entries()),
        }));
        sendXml(request, response, renderSitemapIndex(sitemaps), 'application/xml', newest(sitemaps));
      },
    ],
    ...Object.entries(childSitemaps).map(([path, entries]): [string, RouteHandler] => [
      path,
      (request, response) => {
        const pages = entries();
        sendXml(request, response, renderUrlSet(pages), 'application/xml', newest(pages));
      },
    ]),
    // Listed in no sitemap index, robots.txt or page: only a crawl seeded with it finds the
    // hostile pages, so crawls of the rest of the site count the same pages as before.
    [
      '/hostile-sitemap.xml',
      (request, response) => {
        const pages = pagesUnder(injectionPathPrefix);
        sendXml(request, response, renderUrlSet(pages), 'application/xml', newest(pages));
      },
    ],
    [
      '/index.xml',
      (request, response) =>
        sendXml(
          request,
          response,
          renderRssFeed({ siteUrl, title: hugoSiteName, posts: stillServed(hugoPosts) }),
          'application/rss+xml',
          siteBuiltAt,
        ),
    ],
    [
      '/feed.xml',
      (request, response) =>
        sendXml(
          request,
          response,
          renderAtomFeed({ siteUrl, title: 'Lara Hogan', posts: stillServed(blogPosts) }),
          'application/atom+xml',
          siteBuiltAt,
        ),
    ],
    // Locations mix absolute and relative forms, as real servers do.
    ['/old/moved-post', redirect(301, () => `${siteUrl}/posts/planning-large-migrations/`)],
    ['/chain/1', redirect(302, () => '/chain/2')],
    ['/chain/2', redirect(301, () => `${siteUrl}/posts/running-incident-reviews/`)],
    ['/loop/a', redirect(302, () => '/loop/b')],
    ['/loop/b', redirect(302, () => `${siteUrl}/loop/a`)],
    ['/to-metadata', redirect(302, () => 'http://169.254.169.254/latest/meta-data/')],
    ['/to-private', redirect(302, () => 'http://10.0.0.1/')],
    ...Object.entries(hostileRedirects).map(([path, location]): [string, RouteHandler] => [path, redirect(302, () => location)]),
    ['/error/', (request, response) => sendErrorPage(request, response, 500)],
    ['/slow/', sendSlowDrip],
    ['/huge/', sendHugeBody],
    ['/bomb/', sendGzipBomb],
    [
      '/no-type/',
      (request, response) => {
        const html =
          '<!DOCTYPE html><html><head><title>No type</title></head><body><p>This body came without a content type.</p></body></html>\n';
        // Node adds no content-type of its own, so none goes out.
        response.writeHead(200, { 'content-length': Buffer.byteLength(html) });
        response.end(request.method === 'HEAD' ? undefined : html);
      },
    ],
  ]);
  const exists = (pathname: string) =>
    removed.has(pathname) || documents.has(pathname) || routes.has(pathname) || syntheticNumber(pathname) !== undefined;

  const route = async (request: IncomingMessage, response: ServerResponse, pathname: string, search: string): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendErrorPage(request, response, 405, { allow: 'GET, HEAD' });
    const removedStatus = removed.get(pathname);
    if (removedStatus !== undefined) return sendErrorPage(request, response, removedStatus);
    const document = findDocument(pathname);
    if (document) return sendDocument(request, response, document);
    const handler = routes.get(pathname);
    if (handler) return handler(request, response);
    // Like a static host serving Hugo's `post/index.html`: the directory URL without its slash redirects.
    if (!pathname.endsWith('/') && exists(`${pathname}/`)) return sendRedirect(request, response, 301, `${siteUrl}${pathname}/${search}`);
    sendErrorPage(request, response, 404);
  };

  let inProgress = 0;
  const server = createServer(async (request, response) => {
    const receivedAt = Date.now();
    const concurrent = inProgress;
    inProgress += 1;
    const target = request.url ?? '/';
    const { pathname, search } = splitTarget(target);
    if (options.responseDelayMs) await new Promise((resolve) => setTimeout(resolve, options.responseDelayMs));
    try {
      await route(request, response, pathname, search);
    } catch (error) {
      if (response.headersSent) response.destroy(error as Error);
      else sendErrorPage(request, response, 500);
    }
    inProgress -= 1;
    requests.push({
      method: request.method ?? 'GET',
      path: target.startsWith('/') ? target : pathname + search,
      headers: request.headers,
      status: response.statusCode,
      concurrent,
      receivedAt,
      finishedAt: Date.now(),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  documents = new Map([...seedDocuments(siteUrl), ...injectionDocuments(siteUrl)]);

  return {
    url: siteUrl,
    requests,
    setPage(path, html) {
      if (!path.startsWith('/')) throw new Error(`setPage needs a path starting with "/", got "${path}"`);
      const previous = documents.get(path);
      const lastModified = Math.max(toWholeSeconds(Date.now()), (previous?.lastModified ?? 0) + 1000);
      documents.set(path, { body: html, contentType: previous?.contentType ?? htmlContentType, lastModified });
      removed.delete(path);
    },
    removePage(path, status) {
      documents.delete(path);
      removed.set(path, status);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
