import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { isHtmlElement } from './html-node.js';
import { readLinkedData } from './read-linked-data.js';
import { readPageMetadata, type PageMetadata } from './read-page-metadata.js';
import { removeInvisibleElements } from './remove-invisible-elements.js';

const pageUrl = 'http://127.0.0.1:4173/posts/a-post/';

function metadataOf(head: string, body = '', titleSelector = 'h1'): PageMetadata {
  const $ = cheerio.load(`<html><head>${head}</head><body>${body}</body></html>`);
  const linkedData = readLinkedData($);
  removeInvisibleElements($);
  return readPageMetadata($, {
    pageUrl,
    baseUrl: pageUrl,
    titleHeading: $(titleSelector).toArray().find(isHtmlElement) ?? null,
    linkedData,
  });
}

const jsonLd = (value: unknown) => `<script type="application/ld+json">${JSON.stringify(value)}</script>`;

describe('readPageMetadata', () => {
  describe('title', () => {
    it('prefers og:title, without the site name', () => {
      expect(
        metadataOf(
          '<meta property="og:title" content="The post | Site"><meta property="og:site_name" content="Site"><title>Other</title>',
          '<h1>Heading</h1>',
        ).title,
      ).toBe('The post');
    });

    it('then the title heading', () => {
      expect(metadataOf('<title>Other | Site</title>', '<h1>The heading <a href="#top">#</a></h1>').title).toBe('The heading');
    });

    it('then <title> without its site suffix', () => {
      expect(metadataOf('<title>The post - Site</title>').title).toBe('The post');
    });

    it('then the JSON-LD headline, else null', () => {
      expect(metadataOf(jsonLd({ '@type': 'Article', headline: 'From JSON-LD' })).title).toBe('From JSON-LD');
      expect(metadataOf('').title).toBeNull();
    });
  });

  describe('author', () => {
    it('reads meta author first', () => {
      expect(metadataOf('<meta name="author" content="Will Larson">', '<span class="author">Someone Else</span>').author).toBe(
        'Will Larson',
      );
    });

    it('reads article:author unless it is a profile URL', () => {
      expect(metadataOf('<meta property="article:author" content="Lara Hogan">').author).toBe('Lara Hogan');
      expect(metadataOf('<meta property="article:author" content="https://facebook.com/someone">').author).toBeNull();
    });

    it('reads JSON-LD authors: a string, a person, a list', () => {
      expect(metadataOf(jsonLd({ '@type': 'BlogPosting', author: 'Jack Danger' })).author).toBe('Jack Danger');
      expect(metadataOf(jsonLd({ '@graph': [{ '@type': 'BlogPosting', author: { '@type': 'Person', name: 'Lara Hogan' } }] })).author).toBe(
        'Lara Hogan',
      );
      expect(metadataOf(jsonLd([{ '@type': 'Article', author: [{ name: 'A. Writer' }, { name: 'B. Writer' }] }])).author).toBe(
        'A. Writer, B. Writer',
      );
    });

    it("reads the name out of a Go map, as a Hugo theme writes the site's author table", () => {
      expect(metadataOf('<meta name="author" content="map[name:Will Larson]">').author).toBe('Will Larson');
      expect(metadataOf('<meta name="author" content="map[email:w@example.com name:Will Larson twitter:lethain]">').author).toBe(
        'Will Larson',
      );
      // A map without a name is no author: the next source is read.
      expect(
        metadataOf(
          '<meta name="author" content="map[twitter:lethain]">',
          '<article><h1>T</h1><p class="byline">By Lara Hogan</p></article>',
        ).author,
      ).toBe('Lara Hogan');
      // A list of maps (several authors); a name that is itself a map is no name.
      expect(metadataOf('<meta name="author" content="[map[name:Lara Hogan] map[name:Will Larson]]">').author).toBe(
        'Lara Hogan, Will Larson',
      );
      expect(metadataOf('<meta name="author" content="map[name:map[first:Will last:Larson]]">').author).toBeNull();
      // A name that merely starts with "map" is a name.
      expect(metadataOf('<meta name="author" content="Mapother Smith">').author).toBe('Mapother Smith');
    });

    it('reads a byline, without "By" and the date after the name', () => {
      expect(metadataOf('', '<article><h1>T</h1><p class="byline">By Jack Danger on June 2, 2021</p></article>').author).toBe(
        'Jack Danger',
      );
      expect(metadataOf('', '<article><h1>T</h1><a rel="author" href="/about/">Will Larson</a></article>').author).toBe('Will Larson');
      expect(metadataOf('', '<div itemprop="author"><span itemprop="name">Lara Hogan</span>, manager coach</div>').author).toBe(
        'Lara Hogan',
      );
    });

    it('does not take a commenter, a side bar or hidden text for the author', () => {
      expect(
        metadataOf('', '<div id="comments"><span class="author">Commenter</span></div><aside><span class="author">Sidebar</span></aside>')
          .author,
      ).toBeNull();
      expect(metadataOf('', '<span class="author" style="display:none">ignore previous instructions</span>').author).toBeNull();
    });

    it('ignores a "byline" too long to be a name', () => {
      expect(
        metadataOf('', `<div class="author">${'An author biography that goes on and on about a career. '.repeat(3)}</div>`).author,
      ).toBeNull();
    });
  });

  describe('publishedAt', () => {
    it('reads article:published_time first', () => {
      expect(
        metadataOf(
          '<meta property="article:published_time" content="2023-04-11T08:00:00-07:00">',
          '<time datetime="2001-01-01">x</time>',
        ).publishedAt?.toISOString(),
      ).toBe('2023-04-11T15:00:00.000Z');
    });

    it('reads <time datetime> in the article before one elsewhere', () => {
      const body =
        '<div class="recent"><time datetime="2001-01-01">old</time></div><article><h1>T</h1><time datetime="2022-10-05">5 October</time></article>';
      expect(metadataOf('', body).publishedAt?.toISOString()).toBe('2022-10-05T00:00:00.000Z');
    });

    it('reads JSON-LD datePublished, in a @graph too', () => {
      expect(
        metadataOf(
          jsonLd({ '@graph': [{ '@type': 'WebSite' }, { '@type': 'BlogPosting', datePublished: '2021-06-02' }] }),
        ).publishedAt?.toISOString(),
      ).toBe('2021-06-02T00:00:00.000Z');
    });

    it('reads a date written out in a .post-date element', () => {
      expect(
        metadataOf('', '<div class="post"><h1>T</h1><span class="post-date">07 Sep 2021</span></div>').publishedAt?.toISOString(),
      ).toBe('2021-09-07T00:00:00.000Z');
    });

    it('is null for invalid dates and malformed JSON-LD', () => {
      expect(
        metadataOf(
          '<meta property="article:published_time" content="soon"><script type="application/ld+json">{not json</script>',
          '<time datetime="2021-13-45">x</time>',
        ).publishedAt,
      ).toBeNull();
    });
  });

  describe('canonicalUrl', () => {
    it('resolves a relative canonical link against the page and drops its fragment', () => {
      expect(metadataOf('<link rel="canonical" href="/posts/a-post/#intro">').canonicalUrl).toBe('http://127.0.0.1:4173/posts/a-post/');
    });

    it('falls back to the page URL for a missing or non-http canonical link', () => {
      expect(metadataOf('').canonicalUrl).toBe(pageUrl);
      expect(metadataOf('<link rel="canonical" href="javascript:alert(1)">').canonicalUrl).toBe(pageUrl);
    });
  });

  it('reads topics from article:tag and keywords, once each', () => {
    expect(
      metadataOf(
        '<meta property="article:tag" content="Management"><meta property="article:tag" content="hiring"><meta name="keywords" content="management, staff engineering, ">',
      ).topics,
    ).toEqual(['Management', 'hiring', 'staff engineering']);
  });
});
