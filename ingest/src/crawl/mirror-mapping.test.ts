import { describe, expect, it } from 'vitest';
import { mirrorMapping, sameAddress } from './mirror-mapping.js';

describe('mirrorMapping', () => {
  const root = mirrorMapping({ baseUrl: 'http://127.0.0.1:8080/', publicBaseUrl: 'https://staffeng.example/' });

  it('maps mirror URLs to the public site and back', () => {
    expect(root.toPublic('http://127.0.0.1:8080/guides/staff-archetypes/')).toBe('https://staffeng.example/guides/staff-archetypes/');
    expect(root.toMirror('https://staffeng.example/guides/staff-archetypes/')).toBe('http://127.0.0.1:8080/guides/staff-archetypes/');
    expect(root.toPublic('http://127.0.0.1:8080/')).toBe('https://staffeng.example/');
    expect(root.toPublic('http://127.0.0.1:8080/tags/?page=2')).toBe('https://staffeng.example/tags/?page=2');
  });

  it('leaves URLs of other hosts, ports and schemes alone', () => {
    expect(root.toPublic('http://127.0.0.1:9090/a/')).toBe('http://127.0.0.1:9090/a/');
    expect(root.toPublic('https://staffeng.example/a/')).toBe('https://staffeng.example/a/');
    expect(root.toMirror('https://other.example/a/')).toBe('https://other.example/a/');
    expect(root.toMirror('mailto:someone@staffeng.example')).toBe('mailto:someone@staffeng.example');
    expect(root.toMirror('not a url')).toBe('not a url');
  });

  it('takes public links with www. or the other scheme as the public site', () => {
    expect(root.toMirror('http://www.staffeng.example/a/')).toBe('http://127.0.0.1:8080/a/');
  });

  it('keeps the path below each base, with or without trailing slashes on the bases', () => {
    for (const [baseUrl, publicBaseUrl] of [
      ['http://mirror.internal/build/', 'https://example.com/docs/'],
      ['http://mirror.internal/build', 'https://example.com/docs'],
    ] as const) {
      const mapping = mirrorMapping({ baseUrl, publicBaseUrl });
      expect(mapping.toPublic('http://mirror.internal/build/a/b.html')).toBe('https://example.com/docs/a/b.html');
      expect(mapping.toPublic('http://mirror.internal/build/')).toBe('https://example.com/docs/');
      expect(mapping.toPublic('http://mirror.internal/build')).toBe('https://example.com/docs/');
      expect(mapping.toMirror('https://example.com/docs/a/')).toBe('http://mirror.internal/build/a/');
      expect(mapping.toMirror('https://example.com/docs')).toBe('http://mirror.internal/build/');
      // Outside the base paths: not part of the source, left alone.
      expect(mapping.toPublic('http://mirror.internal/buildings/')).toBe('http://mirror.internal/buildings/');
      expect(mapping.toMirror('https://example.com/blog/')).toBe('https://example.com/blog/');
    }
  });

  it('round-trips', () => {
    const mapping = mirrorMapping({ baseUrl: 'http://10.0.0.5:1313/site/', publicBaseUrl: 'https://lethain.example/' });
    for (const url of ['https://lethain.example/', 'https://lethain.example/a/b/', 'https://lethain.example/feed.xml?x=1']) {
      expect(mapping.toPublic(mapping.toMirror(url))).toBe(url);
    }
  });

  it('is the identity without a public address, or with the same one', () => {
    expect(mirrorMapping({ baseUrl: 'https://example.com/', publicBaseUrl: null })).toBe(sameAddress);
    expect(mirrorMapping({ baseUrl: 'https://example.com/docs/', publicBaseUrl: 'https://example.com/docs' })).toBe(sameAddress);
  });
});
