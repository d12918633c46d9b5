import { createServer, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import { Store } from '@cairn/store';
import { crawlPage, createCrawler, FetchError, type Crawler, type HostResolver, type PrivateNetworkAllowance } from '../src/index.js';
import { loopback, redirectChain, resolverAnswers, ssrfCorpus, type SsrfCase } from './fixtures/ssrf-corpus.js';

/*
 * Design: the crawler is allowed one private address, 127.0.0.3, where the redirector
 * listens (a stand-in for a public site that redirects into private space). The canary
 * listens on the same port on every other loopback address it can have (127.0.0.1,
 * 127.0.0.2, ::1), and every corpus URL that could reach a listener on this machine points
 * at that port: allowance is by address, never by port, so the redirector stays reachable
 * while a URL that slipped through to any other loopback address would land on the canary.
 * Elsewhere in private space (10/8, 169.254.169.254, ...) nothing listens: there the
 * evidence is a refusal before any connection (`forbidden`, not a network error or timeout).
 * Names resolve through a resolver given to the crawler (there is no DNS here), so that a
 * refusal of a name is the guard's verdict on the address the connection would have used.
 */

interface CanaryHit {
  address: string;
  method: string;
  url: string;
  host: string;
}

interface LoopbackWorld {
  port: number;
  /** False where the host has no IPv6 loopback: the canary then listens on IPv4 alone. */
  ipv6: boolean;
  canary: { requests: CanaryHit[]; connections: Map<string, number> };
  redirector: { requests: { host: string; url: string; status: number }[] };
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeAll(servers: readonly Server[]): Promise<void> {
  const closing = servers.map(
    (server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return Promise.all(closing).then(() => undefined);
}

/** A canary listener on `address`: counts every TCP connection and every request. */
function canaryServer(address: string, canary: LoopbackWorld['canary']): Server {
  const server = createServer((request, response) => {
    canary.requests.push({ address, method: request.method ?? '', url: request.url ?? '', host: request.headers.host ?? '' });
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    response.end(
      '<!DOCTYPE html><html><head><title>Canary</title></head><body><main><p>The crawler reached the canary.</p></main></body></html>',
    );
  });
  server.on('connection', () => canary.connections.set(address, (canary.connections.get(address) ?? 0) + 1));
  return server;
}

/** The redirector's answer: the next hop of /chain, /rebind's hop to its own origin, or 404 (robots.txt too: all allowed). */
function redirectFor(target: URL): { status: number; location?: string } {
  if (target.pathname === '/rebind') return { status: 302, location: '/rebind/again' };
  if (target.pathname !== '/chain') return { status: 404 };
  const [status, ...rest] = (target.searchParams.get('statuses') ?? '').split(',').map(Number);
  const location = target.searchParams.get('to') ?? '';
  if (!status) return { status: 400 };
  return { status, location: rest.length > 0 ? redirectChain('', rest, location) : location };
}

/**
 * Every response closes its connection, so each hop opens a new one and asks the resolver
 * again: a rebinding name gets its second answer, and no hop rides on a checked connection.
 */
function redirectorServer(redirector: LoopbackWorld['redirector']): Server {
  return createServer((request, response) => {
    const { status, location } = redirectFor(new URL(request.url ?? '/', 'http://redirector.invalid'));
    redirector.requests.push({ host: request.headers.host ?? '', url: request.url ?? '', status });
    response.writeHead(status, {
      ...(location === undefined ? {} : { location }),
      'content-type': 'text/plain; charset=utf-8',
      connection: 'close',
    });
    response.end();
  });
}

/** Binds the redirector on an ephemeral port, then the canary on that port elsewhere on loopback. */
async function bindLoopbackWorld(): Promise<LoopbackWorld> {
  const canary: LoopbackWorld['canary'] = { requests: [], connections: new Map() };
  const redirector: LoopbackWorld['redirector'] = { requests: [] };
  const servers = [redirectorServer(redirector)];
  try {
    await listen(servers[0]!, 0, loopback.redirector);
    const port = (servers[0]!.address() as AddressInfo).port;
    for (const address of loopback.canary4) {
      servers.push(canaryServer(address, canary));
      await listen(servers.at(-1)!, port, address);
    }
    servers.push(canaryServer(loopback.canary6, canary));
    const ipv6 = await listen(servers.at(-1)!, port, loopback.canary6).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRNOTAVAIL' && error.code !== 'EAFNOSUPPORT') throw error;
        return false;
      },
    );
    return { port, ipv6, canary, redirector, close: () => closeAll(servers) };
  } catch (error) {
    await closeAll(servers);
    throw error;
  }
}

/** Another process may hold the port on one of the canary's addresses: try another port. */
async function startLoopbackWorld(): Promise<LoopbackWorld> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await bindLoopbackWorld();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 5) throw error;
    }
  }
}

/**
 * Answers names from the corpus's table as an attacker's DNS would: per lookup, the next
 * answer (the last repeating); names under `localhost` as `localhost` (RFC 6761).
 */
function testResolver(): { resolve: HostResolver; lookups: string[] } {
  const lookups: string[] = [];
  const asked = new Map<string, number>();
  const resolve: HostResolver = (hostname, options, callback) => {
    // DNS ignores case and the trailing dot of a fully qualified name.
    const name = hostname.toLowerCase().replace(/\.$/, '');
    lookups.push(name);
    const answers = resolverAnswers[name] ?? (name.endsWith('.localhost') ? resolverAnswers.localhost : undefined);
    if (!answers) {
      setImmediate(() => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []));
      return;
    }
    const count = asked.get(name) ?? 0;
    asked.set(name, count + 1);
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const answer = answers[Math.min(count, answers.length - 1)]!.map((address) => ({ address, family: isIP(address) })).filter(
      (entry) => family === 0 || entry.family === family,
    );
    setImmediate(() => callback(null, answer));
  };
  return { resolve, lookups };
}

function crawlerFor(allowance: PrivateNetworkAllowance, resolver: HostResolver): Crawler {
  // A short deadline: a URL that got through to an address with no listener fails in seconds.
  return createCrawler({ allowance, contact: 'https://cairn.invalid/tests', policy: { timeoutMs: 3000 }, resolver });
}

interface Attempt {
  entry: SsrfCase;
  /** `forbidden` is a refusal; anything else (a page, a network error) means it got through. */
  outcome: string;
  message: string;
  permanent: boolean;
  redirectorHits: number;
  /** Whether the resolver was asked for the URL's own host. */
  looked: boolean;
}

/** Fetches one corpus URL with the crawler's PageFetcher (what every crawl fetch goes through). */
async function attempt(world: LoopbackWorld, crawler: Crawler, lookups: string[], entry: SsrfCase): Promise<Attempt> {
  const hitsBefore = world.redirector.requests.length;
  const lookupsBefore = lookups.length;
  const host = new URL(entry.url).hostname.toLowerCase().replace(/\.$/, '');
  const settled = await crawler.fetcher.fetch({ url: entry.url }).then(
    (result) => ({ outcome: `fetched: ${result.kind} ${result.status}`, message: result.url, permanent: false }),
    (error: unknown) =>
      error instanceof FetchError
        ? { outcome: error.code, message: error.message, permanent: error.permanent }
        : { outcome: 'crash', message: String(error), permanent: false },
  );
  return {
    entry,
    ...settled,
    redirectorHits: world.redirector.requests.length - hitsBefore,
    looked: lookups.slice(lookupsBefore).includes(host),
  };
}

/**
 * What is wrong with one attempt, if anything (an empty list: refused as it should be).
 * With the redirector allowed, the refusal must also name the entry's range, after the
 * entry's hops; with nothing allowed, the redirector itself is refused and serves no hop.
 */
function problems(result: Attempt, redirectorAllowed: boolean): string[] {
  const { entry } = result;
  const found: string[] = [];
  if (result.outcome !== 'forbidden') found.push(`got through: ${result.outcome} (${result.message})`);
  else if (!result.permanent) found.push('refusal not permanent');
  if (!/^Refused to fetch \S+: /.test(result.message)) found.push(`unclear reason: ${result.message}`);
  const hops = redirectorAllowed ? entry.hops : 0;
  if (result.redirectorHits !== hops) found.push(`redirector served ${result.redirectorHits} hops, expected ${hops}`);
  if (redirectorAllowed && !result.message.includes(entry.refusal)) found.push(`expected "${entry.refusal}" in: ${result.message}`);
  // A refusal by the resolved address happens at connection time: the resolver was asked.
  if (redirectorAllowed && entry.refusal.startsWith('resolves to') && entry.hops === 0 && !result.looked)
    found.push('refused without resolving the name');
  return found.map((problem) => `${entry.category} / ${entry.label} / ${entry.url}: ${problem}`);
}

const canaryTotals = (world: LoopbackWorld) => ({
  requests: world.canary.requests.length,
  connections: [...world.canary.connections.values()].reduce((sum, count) => sum + count, 0),
});

describe('the SSRF corpus against the real crawler', () => {
  let world: LoopbackWorld;
  let corpus: SsrfCase[];
  const refused = new Map<string, number>();
  let canaryAfterCorpus = { requests: -1, connections: -1 };
  let control = { urls: 0, requests: 0, connections: 0 };

  beforeAll(async () => {
    world = await startLoopbackWorld();
    corpus = ssrfCorpus(world.port);
  });

  afterAll(async () => {
    await world?.close();
    const perCategory = new Map<string, number>();
    for (const entry of corpus ?? []) perCategory.set(entry.category, (perCategory.get(entry.category) ?? 0) + 1);
    const categories = [...perCategory].map(([category, count]) => `${category} ${count}`);
    console.log(
      `SSRF corpus: ${corpus?.length} URLs (${categories.join(', ')}), ` +
        [...refused].map(([pass, count]) => `${count} refused with ${pass}`).join(', ') +
        `; canary requests ${canaryAfterCorpus.requests}, connections ${canaryAfterCorpus.connections}` +
        ` (listening on ${[...loopback.canary4, ...(world?.ipv6 ? [loopback.canary6] : [])].join(', ')})` +
        `; control: ${control.urls} URLs allowed reached it with ${control.requests} requests, ${control.connections} connections`,
    );
  });

  it('holds at least 50 distinct URLs across every trick', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    expect(new Set(corpus.map((entry) => entry.url)).size).toBe(corpus.length);
    expect(new Set(corpus.map((entry) => entry.category))).toEqual(
      new Set([
        'IPv4 literal',
        'IPv6 literal',
        'metadata',
        'private range',
        'loopback name',
        'user info',
        'resolved name',
        'redirect chain',
      ]),
    );
    for (const status of [301, 302, 307, 308]) expect(corpus.some((entry) => entry.url.includes(`statuses=${status}`))).toBe(true);
  });

  describe.each([
    // The default: everything private refused, the redirector included (chains end at hop one).
    { pass: 'private networks not allowed', allowance: false as PrivateNetworkAllowance, redirectorAllowed: false },
    // The redirector allowed, so that chains are followed into private space: each refusal
    // must then name the range of the address it came to, at the hop it came to it.
    { pass: 'only the redirector allowed', allowance: [loopback.redirector] as PrivateNetworkAllowance, redirectorAllowed: true },
  ])('with $pass', ({ pass, allowance, redirectorAllowed }) => {
    it('refuses every URL with a clear reason, and the canary hears nothing', async () => {
      const { resolve, lookups } = testResolver();
      const crawler = crawlerFor(allowance, resolve);
      const attempts: Attempt[] = [];
      try {
        for (const entry of corpus) attempts.push(await attempt(world, crawler, lookups, entry));
      } finally {
        await crawler.close();
      }
      refused.set(pass, attempts.filter((result) => result.outcome === 'forbidden').length);
      canaryAfterCorpus = canaryTotals(world);
      expect(attempts.flatMap((result) => problems(result, redirectorAllowed))).toEqual([]);
      expect(world.canary.requests).toEqual([]);
      expect(canaryTotals(world)).toEqual({ requests: 0, connections: 0 });
    }, 120_000);
  });

  it('records every refusal in the crawl ledger as a permanent skip, and the canary still hears nothing', async () => {
    const store = await Store.open({});
    const { resolve } = testResolver();
    const crawler = crawlerFor([loopback.redirector], resolve);
    const dependencies = { store, embedder: new LocalHashEmbedder(), ...crawler };
    try {
      const source = await store.sources.upsert({
        name: 'ssrf-corpus',
        kind: 'web',
        baseUrl: `http://${loopback.redirector}:${world.port}/`,
        seeds: [],
        crawlDelayMs: 0,
      });
      const wrong: string[] = [];
      for (const entry of corpus) {
        // robots.txt comes first, so the ledger may name it: a refused host has no rules to read.
        const { item, fetched, failure } = await crawlPage(
          dependencies,
          source,
          { key: entry.url, url: entry.url },
          { inScope: () => true },
        );
        const clear = /^(Refused to fetch \S+: |could not reach \S+ \(its robots\.txt: )/.test(item.error ?? '');
        if (item.outcome !== 'skipped' || fetched || failure !== 'permanent' || !clear)
          wrong.push(`${entry.label} / ${entry.url}: ${item.outcome} ${item.error}`);
      }
      expect(wrong).toEqual([]);
      expect(canaryTotals(world)).toEqual({ requests: 0, connections: 0 });
    } finally {
      await crawler.close();
      await store.close();
    }
  }, 120_000);

  // Runs last: it is the only test that lets anything reach the canary.
  it('control: with private networks allowed, every URL that leads to the canary reaches it', async () => {
    const { resolve } = testResolver();
    const crawler = crawlerFor(true, resolve);
    const leading = corpus.filter((entry) => entry.leadsTo === 'canary4' || (entry.leadsTo === 'canary6' && world.ipv6));
    const missed: string[] = [];
    const before = canaryTotals(world);
    try {
      for (const entry of leading) {
        const connections = canaryTotals(world).connections;
        // https at the plain-HTTP canary fails its handshake, after the connection counted.
        await crawler.fetcher.fetch({ url: entry.url }).catch(() => undefined);
        if (canaryTotals(world).connections === connections) missed.push(`${entry.label} / ${entry.url}`);
      }
    } finally {
      await crawler.close();
    }
    const after = canaryTotals(world);
    control = {
      urls: leading.length - missed.length,
      requests: after.requests - before.requests,
      connections: after.connections - before.connections,
    };
    expect(missed).toEqual([]);
    expect(leading.length).toBeGreaterThanOrEqual(40);
    expect(control.requests).toBeGreaterThan(0);
    expect(new Set(world.canary.requests.map((hit) => hit.address))).toEqual(
      new Set([...loopback.canary4, ...(world.ipv6 ? [loopback.canary6] : [])]),
    );
  }, 120_000);
});
