import { describe, expect, it } from 'vitest';
import { CrawlFrontier } from './crawl-frontier.js';
import { mirrorMapping } from './mirror-mapping.js';

const inScope = (url: string) => url.startsWith('https://a.test/posts/');

describe('CrawlFrontier', () => {
  it('queues each in-scope page once, known by its normalised URL but fetched as linked', () => {
    const frontier = new CrawlFrontier(inScope);
    frontier.add('https://a.test/posts/one');
    frontier.add('https://a.test/posts/one/?utm_source=feed');
    frontier.add('https://a.test/about/');
    frontier.add('not a url');
    frontier.add('https://A.test/posts/two/#comments');
    expect(frontier.discovered).toBe(2);
    expect(frontier.next()).toEqual({ key: 'https://a.test/posts/one/', url: 'https://a.test/posts/one' });
    expect(frontier.next()).toEqual({ key: 'https://a.test/posts/two/', url: 'https://a.test/posts/two/' });
    expect(frontier.hasWaiting).toBe(false);
    expect(frontier.next()).toBeUndefined();
    // Crawled pages stay known: a link back to one does not queue it again.
    frontier.add('https://a.test/posts/one/');
    expect(frontier.hasWaiting).toBe(false);
  });

  it('counts a page seen under its canonical URL as discovered, and never queues that URL', () => {
    const frontier = new CrawlFrontier(inScope);
    frontier.add('https://a.test/posts/linked/');
    frontier.markSeen('https://a.test/posts/canonical/');
    frontier.add('https://a.test/posts/canonical/');
    expect(frontier.seen).toEqual(['https://a.test/posts/canonical/']);
    expect(frontier.discovered).toBe(2);
    expect(frontier.next()?.key).toBe('https://a.test/posts/linked/');
    expect(frontier.hasWaiting).toBe(false);
  });

  it('drops what waits when cleared, and keeps it known', () => {
    const frontier = new CrawlFrontier(inScope);
    frontier.add('https://a.test/posts/one/');
    frontier.add('https://a.test/posts/two/');
    frontier.clear();
    expect(frontier.hasWaiting).toBe(false);
    expect(frontier.discovered).toBe(2);
  });

  it("knows a mirror's page by its public URL and fetches it from the mirror, whichever a link names", () => {
    const source = { baseUrl: 'http://10.0.0.5:1313/build/', publicBaseUrl: 'https://a.test/' };
    const frontier = new CrawlFrontier(inScope, mirrorMapping(source));
    frontier.add('https://a.test/posts/one');
    frontier.add('http://10.0.0.5:1313/build/posts/one/');
    frontier.add('http://10.0.0.5:1313/build/posts/two/');
    frontier.add('http://10.0.0.5:1313/elsewhere/');
    expect(frontier.discovered).toBe(2);
    expect(frontier.next()).toEqual({ key: 'https://a.test/posts/one/', url: 'http://10.0.0.5:1313/build/posts/one' });
    expect(frontier.next()).toEqual({ key: 'https://a.test/posts/two/', url: 'http://10.0.0.5:1313/build/posts/two/' });
  });
});
