import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeUrl } from './normalize-url.js';

describe('normalizeUrl', () => {
  it.each([
    ['lower-cases the scheme and host', 'HTTPS://Lethain.COM/Some-Post/', 'https://lethain.com/Some-Post/'],
    ['drops the default port', 'https://staffeng.com:443/guides/', 'https://staffeng.com/guides/'],
    ['drops the default http port', 'http://127.0.0.1:80/a/', 'http://127.0.0.1/a/'],
    ['keeps another port', 'http://127.0.0.1:4173/a/', 'http://127.0.0.1:4173/a/'],
    ['drops the fragment', 'https://lethain.com/post/#why-decisions-unravel', 'https://lethain.com/post/'],
    ['removes utm_* parameters', 'https://lethain.com/post/?utm_source=x&utm_medium=email&UTM_Campaign=y', 'https://lethain.com/post/'],
    [
      'removes click ids and referrers',
      'https://lethain.com/post/?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=hn&ref_src=twsrc',
      'https://lethain.com/post/',
    ],
    [
      'keeps and sorts the other parameters',
      'https://example.com/search?q=staff&page=2&utm_source=x',
      'https://example.com/search/?page=2&q=staff',
    ],
    ['keeps the order of repeated parameters', 'https://example.com/a?tag=b&id=1&tag=a', 'https://example.com/a/?id=1&tag=b&tag=a'],
    ['keeps parameter encoding as written', 'https://example.com/a/?q=a%20b&r=c+d', 'https://example.com/a/?q=a%20b&r=c+d'],
    ['drops an empty query', 'https://example.com/a/?', 'https://example.com/a/'],
    ['collapses duplicate slashes in the path', 'https://lethain.com//tags///management', 'https://lethain.com/tags/management/'],
    [
      'adds a trailing slash to extension-less paths',
      'https://staffeng.com/guides/staff-archetypes',
      'https://staffeng.com/guides/staff-archetypes/',
    ],
    ['leaves file paths alone', 'https://lethain.com/static/author.png', 'https://lethain.com/static/author.png'],
    ['leaves feeds alone', 'https://lethain.com/feeds.xml', 'https://lethain.com/feeds.xml'],
    ['keeps the root', 'https://lethain.com', 'https://lethain.com/'],
    ['resolves dot segments', 'https://lethain.com/a/../b/./c', 'https://lethain.com/b/c/'],
    ['upper-cases percent escapes', 'https://example.com/caf%c3%a9', 'https://example.com/caf%C3%A9/'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it('leaves the path ending alone when trailingSlash is false', () => {
    expect(normalizeUrl('https://staffeng.com/guides/staff-archetypes?utm_source=x', { trailingSlash: false })).toBe(
      'https://staffeng.com/guides/staff-archetypes',
    );
    expect(normalizeUrl('https://staffeng.com/guides/', { trailingSlash: false })).toBe('https://staffeng.com/guides/');
  });

  it('does not treat parameters that merely start like tracking ones as tracking', () => {
    expect(normalizeUrl('https://example.com/a/?reference=1&refs=2')).toBe('https://example.com/a/?reference=1&refs=2');
  });

  it('throws a TypeError for relative and non-http URLs', () => {
    expect(() => normalizeUrl('/relative/path')).toThrow(TypeError);
    expect(() => normalizeUrl('mailto:someone@example.com')).toThrow(TypeError);
    expect(() => normalizeUrl('not a url')).toThrow(/absolute http\(s\) URL/);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.boolean(), (url, trailingSlash) => {
        const once = normalizeUrl(url, { trailingSlash });
        expect(normalizeUrl(once, { trailingSlash })).toBe(once);
      }),
    );
  });
});
