import { describe, expect, it } from 'vitest';
import { staticPageUrl, staticSiteBase } from '../src/index.js';

const publicSite = 'https://staffeng.example/';

describe('staticPageUrl', () => {
  it('publishes a folder index at the folder and other files at their paths', () => {
    expect(staticPageUrl('index.html', publicSite)).toBe(publicSite);
    expect(staticPageUrl('guides/staff-archetypes/index.html', publicSite)).toBe(`${publicSite}guides/staff-archetypes/`);
    expect(staticPageUrl('about.html', 'https://example.com/docs/')).toBe('https://example.com/docs/about.html');
    expect(staticPageUrl('notes/a b.html', publicSite)).toBe(`${publicSite}notes/a%20b.html`);
  });
});

describe('staticSiteBase', () => {
  it('adds the trailing slash paths resolve under, and refuses what is not an http(s) URL with a host', () => {
    expect(staticSiteBase('https://example.com/docs')).toBe('https://example.com/docs/');
    expect(staticSiteBase('https://example.com')).toBe('https://example.com/');
    expect(() => staticSiteBase('ftp://example.com/')).toThrow(expect.objectContaining({ code: 'invalid_url' }));
    expect(() => staticSiteBase('example.com')).toThrow(expect.objectContaining({ code: 'invalid_url' }));
  });
});
