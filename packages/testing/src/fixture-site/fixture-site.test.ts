import { get, type IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hugeBodyBytes, injectedPhrase, injectionPages, startFixtureSite, toTagCharacters, type FixtureSite } from './fixture-site.js';

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite({ syntheticPages: 3 });
});
afterAll(async () => site?.close());

const text = async (path: string, init?: RequestInit) => (await fetch(`${site.url}${path}`, init)).text();

/** A raw GET that leaves the body as sent, which fetch would inflate. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, { headers }, resolve).on('error', reject));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('fixture site', () => {
  it('serves robots.txt that disallows /private/ and points at the sitemap', async () => {
    const response = await fetch(`${site.url}/robots.txt`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const lines = (await response.text()).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining(['User-agent: *', 'Disallow: /private/', 'Crawl-delay: 1', `Sitemap: ${site.url}/sitemap.xml`]),
    );
    expect(await text('/private/secret/')).toContain('ignored robots.txt');
  });

  it('serves a sitemap index whose child sitemaps list absolute, slashed URLs with lastmod', async () => {
    const index = await text('/sitemap.xml');
    expect(index).toContain('<sitemapindex');
    for (const child of ['sitemap-posts.xml', 'sitemap-blog.xml', 'sitemap-bench.xml'])
      expect(index).toContain(`<loc>${site.url}/${child}</loc>`);
    const posts = await text('/sitemap-posts.xml');
    const locations = [...posts.matchAll(/<loc>(.*?)<\/loc>/g)].map((match) => match[1]!);
    expect(locations.length).toBeGreaterThanOrEqual(6);
    for (const location of locations) expect(location).toMatch(new RegExp(`^${site.url}/posts/[a-z-]+/$`));
    expect(posts).toContain('<lastmod>2023-05-01T00:00:00+00:00</lastmod>');
    expect((await text('/sitemap-blog.xml')).match(/<loc>/g)).toHaveLength(3);
    expect((await text('/sitemap-bench.xml')).match(/<loc>/g)).toHaveLength(3);
  });

  it('renders Hugo posts with canonical links, author, dates and h2 ids', async () => {
    const html = await text('/posts/writing-engineering-strategy/');
    expect(html).toContain(`<link rel="canonical" href="${site.url}/posts/writing-engineering-strategy/">`);
    expect(html).toContain('<meta name="author" content="Will Larson">');
    expect(html).toContain('<meta property="article:published_time" content="2023-05-01T00:00:00Z">');
    expect(html).toContain('<main class="pb7" role="main">');
    expect(html).toContain('<h2 id="start-with-a-diagnosis">Start with a diagnosis</h2>');
    expect(html).toContain('<a href="#start-with-a-diagnosis">');
    expect(html).toMatch(/<nav class="pagination[^"]*">\s*<a class="previous link" href="\/posts\/the-staff-engineer-role">/);
    const tracked = await text('/posts/managing-technical-debt/');
    expect(tracked).toContain('?utm_source=newsletter&amp;utm_medium=email');
    expect(tracked).toContain('href="#choosing-what-to-pay-down"');
  });

  it('renders larahogan.me-shaped posts and both feeds', async () => {
    const html = await text('/blog/giving-useful-feedback/');
    expect(html).toContain('<meta name="author" content="Lara Hogan">');
    expect(html).toMatch(
      /<div class="post">\s*<h1 class="post-title">Giving feedback that lands<\/h1>\s*<span class="post-date">10 Sep 2020<\/span>\s*<div class="post-content">/,
    );
    expect(html).toContain('<h2 id="explain-the-impact">');
    const rss = await text('/index.xml');
    expect(rss).toContain(`<link>${site.url}/posts/writing-engineering-strategy/</link>`);
    expect(rss).toContain('<pubDate>Mon, 01 May 2023 00:00:00 +0000</pubDate>');
    const atom = await text('/feed.xml');
    expect(atom).toContain(`<link href="${site.url}/blog/running-one-on-ones/" rel="alternate"`);
    expect(atom).toContain('<updated>2020-09-10T00:00:00Z</updated>');
  });

  it('redirects slashless URLs with 301, keeping the query', async () => {
    const response = await fetch(`${site.url}/posts/sizing-engineering-teams?utm_source=x`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(`${site.url}/posts/sizing-engineering-teams/?utm_source=x`);
    expect((await fetch(`${site.url}/bench/2`, { redirect: 'manual' })).status).toBe(301);
  });

  it('answers the fixed redirects, including hops to private addresses', async () => {
    const location = async (path: string) => {
      const response = await fetch(`${site.url}${path}`, { redirect: 'manual' });
      return [response.status, response.headers.get('location')];
    };
    expect(await location('/old/moved-post')).toEqual([301, `${site.url}/posts/planning-large-migrations/`]);
    expect(await location('/chain/1')).toEqual([302, '/chain/2']);
    expect(await location('/chain/2')).toEqual([301, `${site.url}/posts/running-incident-reviews/`]);
    expect(await location('/loop/a')).toEqual([302, '/loop/b']);
    expect(await location('/loop/b')).toEqual([302, `${site.url}/loop/a`]);
    expect(await location('/to-metadata')).toEqual([302, 'http://169.254.169.254/latest/meta-data/']);
    expect(await location('/to-private')).toEqual([302, 'http://10.0.0.1/']);
  });

  it('answers 304 to a matching If-None-Match or a recent enough If-Modified-Since', async () => {
    const first = await fetch(`${site.url}/posts/planning-large-migrations/`);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const byTag = await fetch(`${site.url}/posts/planning-large-migrations/`, { headers: { 'if-none-match': etag } });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    const byDate = await fetch(`${site.url}/posts/planning-large-migrations/`, { headers: { 'if-modified-since': lastModified } });
    expect(byDate.status).toBe(304);
    const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await fetch(`${site.url}/posts/planning-large-migrations/`, { headers: { 'if-modified-since': older } })).status).toBe(200);
  });

  it('changes content and validators on setPage, and answers 404 or 410 after removePage', async () => {
    const own = await startFixtureSite();
    try {
      const path = `${own.url}/posts/the-staff-engineer-role/`;
      const before = await fetch(path);
      const etag = before.headers.get('etag')!;
      own.setPage('/posts/the-staff-engineer-role/', '<html><body><h1>Rewritten</h1></body></html>');
      const after = await fetch(path, { headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      expect(Date.parse(after.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(before.headers.get('last-modified')!));
      expect(await after.text()).toContain('Rewritten');
      own.setPage('/posts/brand-new/', '<html><body>New</body></html>');
      expect(await (await fetch(`${own.url}/sitemap-posts.xml`)).text()).toContain(`${own.url}/posts/brand-new/`);

      own.removePage('/posts/the-staff-engineer-role/', 410);
      own.removePage('/blog/running-one-on-ones/', 404);
      expect((await fetch(path)).status).toBe(410);
      const missing = await fetch(`${own.url}/blog/running-one-on-ones/`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('Page not found');
      expect(await (await fetch(`${own.url}/feed.xml`)).text()).not.toContain(`<link href="${own.url}/blog/running-one-on-ones/"`);
    } finally {
      await own.close();
    }
  });

  it('answers errors: 410, 404 with HTML, 500', async () => {
    expect((await fetch(`${site.url}/gone/`)).status).toBe(410);
    const missing = await fetch(`${site.url}/no/such/page/`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await missing.text()).toContain('<h1>Page not found</h1>');
    expect((await fetch(`${site.url}/error/`)).status).toBe(500);
  });

  it('serves a PDF, and a body with no content type', async () => {
    const pdf = await fetch(`${site.url}/file.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const untyped = await rawGet(`${site.url}/no-type/`);
    expect(untyped.headers['content-type']).toBeUndefined();
    expect((await readAll(untyped)).toString()).toContain('<p>');
  });

  it('serves a gzip bomb: declared gzip, a small raw body that inflates past 200 MB', async () => {
    const response = await rawGet(`${site.url}/bomb/`, { 'accept-encoding': 'gzip' });
    expect(response.headers['content-encoding']).toBe('gzip');
    const raw = await readAll(response);
    expect(raw.length).toBeLessThan(1024 * 1024);
    let inflated = 0;
    const gunzip = createGunzip();
    gunzip.on('data', (part: Buffer) => (inflated += part.length));
    await new Promise((resolve, reject) => gunzip.on('end', resolve).on('error', reject).end(raw));
    expect(inflated).toBeGreaterThan(200 * 1024 * 1024);
  });

  it('drips /slow/ (first chunk at once) and streams /huge/ without a length', async () => {
    const started = performance.now();
    const slow = await rawGet(`${site.url}/slow/`);
    const firstChunk = await new Promise<Buffer>((resolve) => slow.once('data', resolve));
    expect(performance.now() - started).toBeLessThan(400);
    expect(firstChunk.length).toBe(100);
    slow.destroy();

    const huge = await rawGet(`${site.url}/huge/`);
    expect(huge.headers['content-length']).toBeUndefined();
    expect((await readAll(huge)).length).toBeGreaterThanOrEqual(hugeBodyBytes);
  });

  it('hides the injected phrase five ways on /posts/hidden-text/, beside visible text', async () => {
    const html = await text('/posts/hidden-text/');
    for (const pattern of [
      /style="display:none">[^<]*PHRASE/,
      /<div hidden>[^<]*PHRASE/,
      /aria-hidden="true">[^<]*PHRASE/,
      /<script>[^<]*PHRASE/,
      /<style>[^<]*PHRASE/,
    ]) {
      expect(html).toMatch(new RegExp(pattern.source.replace('PHRASE', injectedPhrase)));
    }
    expect(html).toContain('<p>Teams rarely fail because they pick bad projects.');
  });

  it('serves at least 30 hostile pages, every attack family, listed only in /hostile-sitemap.xml', async () => {
    expect(injectionPages.length).toBeGreaterThanOrEqual(30);
    expect(new Set(injectionPages.map((page) => page.family)).size).toBe(9);
    const listed = [...(await text('/hostile-sitemap.xml')).matchAll(/<loc>(.*?)<\/loc>/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(injectionPages.map((page) => `${site.url}${page.post.path}`).sort());
    // Nothing else points at them, so crawls of the rest of the site are unchanged.
    for (const path of [
      '/sitemap.xml',
      '/sitemap-posts.xml',
      '/sitemap-blog.xml',
      '/robots.txt',
      '/',
      '/posts/writing-engineering-strategy/',
    ]) {
      expect(await text(path), path).not.toContain('/hostile');
    }
    for (const page of injectionPages) {
      const html = await text(page.post.path);
      expect(html, page.slug).toContain(`<link rel="canonical" href="${site.url}${page.post.path}">`);
      // A concealed marker is in the markup, as it is or (ASCII smuggling) in tag characters.
      if (page.concealed) expect(html.includes(page.concealed) || html.includes(toTagCharacters(page.concealed)), page.slug).toBe(true);
    }
  });

  it('serves distinct synthetic pages, and starts fast with a thousand of them', async () => {
    const [first, second] = await Promise.all([text('/bench/1/'), text('/bench/2/')]);
    expect(first.match(/<h2 id=/g)).toHaveLength(5);
    expect(first).not.toBe(second);
    expect(await text('/bench/2/')).toBe(second);
    expect((await fetch(`${site.url}/bench/4/`)).status).toBe(404);

    const started = performance.now();
    const large = await startFixtureSite({ syntheticPages: 1000 });
    expect(performance.now() - started).toBeLessThan(500);
    try {
      expect((await (await fetch(`${large.url}/sitemap-bench.xml`)).text()).match(/<loc>/g)).toHaveLength(1000);
      expect((await fetch(`${large.url}/bench/1000/`)).status).toBe(200);
    } finally {
      await large.close();
    }
  });

  it('records each request with its path, query and status', async () => {
    const own = await startFixtureSite();
    try {
      await fetch(`${own.url}/posts/sizing-engineering-teams?utm_source=x`);
      await fetch(`${own.url}/nothing-here`, { headers: { 'user-agent': 'CairnTest/1.0' } });
      expect(own.requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
        { method: 'GET', path: '/posts/sizing-engineering-teams?utm_source=x', status: 301 },
        { method: 'GET', path: '/posts/sizing-engineering-teams/?utm_source=x', status: 200 },
        { method: 'GET', path: '/nothing-here', status: 404 },
      ]);
      expect(own.requests.at(-1)!.headers['user-agent']).toBe('CairnTest/1.0');
    } finally {
      await own.close();
    }
  });
});
