import type { CheerioAPI } from 'cheerio';
import { resolveLink } from './collect-links.js';
import { collapseWhitespace, elementText } from './element-text.js';
import { isHtmlElement, type HtmlElement } from './html-node.js';
import { parsePublishedDate } from './parse-published-date.js';
import { linkedDataField, linkedDataNames, type LinkedDataNode } from './read-linked-data.js';
import { isPermalinkMarker } from './remove-boilerplate.js';
import { stripSiteName } from './strip-site-name.js';
import { selectWithin } from './select-within.js';

export interface PageMetadata {
  /** Null when the page has no og:title, title heading or `<title>`. */
  title: string | null;
  author: string | null;
  publishedAt: Date | null;
  /** Absolute, without fragment: the page's `<link rel="canonical">`, else the page's URL. */
  canonicalUrl: string;
  topics: string[];
}

export interface ReadPageMetadataInput {
  pageUrl: string;
  /** What relative URLs resolve against (see `documentBaseUrl`). */
  baseUrl: string;
  /** The article's own title heading, as the page's profile found it. */
  titleHeading: HtmlElement | null;
  /** The page's JSON-LD objects, read before scripts were removed. */
  linkedData: readonly LinkedDataNode[];
}

// Where an article's byline, time and date live, around its title heading.
const articleScopeSelector = 'article, main, [role="main"], .post, .hentry, .h-entry';
// Bylines and dates in these belong to someone else: commenters, related posts, the site.
const foreignScopeSelector =
  'nav, aside, footer, [class*="comment"], [id*="comment"], [class*="related"], [class*="sidebar"], [id*="sidebar"]';
const bylineSelector = '[rel~="author"], [itemprop~="author"], .p-author, .author, .byline, .post-author';
const dateTextSelector = '.post-date, .published, .entry-date, .dateline, .date, time';
const bylineLeadIn = /^(?:(?:written|posted|published)\s+)?by:?\s+/i;
const bylineTail = /\s+(?:on|at|in)\s+.*$|\s*[|·•,—–]\s*.*$|\s+-\s+.*$/i;
const maxAuthorLength = 80;
const maxBylineLength = 120;

function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('/');
}

/** The `name` of one Go map's text (`map[name:Will Larson twitter:lethain]`), or null: none, or a value that is itself a map or a list. */
function nameOfGoMap(text: string): string | null {
  const map = /^map\[(.*)\]$/s.exec(text);
  const name = map && /(?:^|\s)name:(.*?)(?=\s+[A-Za-z_][\w-]*:|$)/s.exec(map[1]!);
  const value = name?.[1]!.trim();
  return value && !/[[\]]/.test(value) ? value : null;
}

/**
 * A Go template's rendering of a map (`map[name:Will Larson twitter:lethain]`), or of a list
 * of maps (`[map[name:A] map[name:B]]`): what a Hugo theme writes into `<meta name="author">`
 * when the site's author parameter is a table, as staffeng.com's ananke theme does. The
 * `name` of each (Go writes a map's keys sorted, space-separated), joined with commas;
 * undefined when the text is no such rendering; null when no map has a plain name.
 */
export function nameInGoMap(text: string): string | null | undefined {
  const trimmed = text.trim();
  if (/^map\[.*\]$/s.test(trimmed)) return nameOfGoMap(trimmed);
  const list = /^\[(map\[.*\])\]$/s.exec(trimmed);
  if (!list) return undefined;
  const names = (list[1]!.match(/map\[[^[\]]*\]/g) ?? []).map(nameOfGoMap).filter((name): name is string => name !== null);
  return names.length > 0 ? names.join(', ') : null;
}

/** A page's author name from a meta tag, JSON-LD or a byline: a name, or null (a URL, a biography, nothing). */
export function cleanAuthor(text: string | null | undefined): string | null {
  if (!text) return null;
  const collapsed = collapseWhitespace(text);
  const mapped = nameInGoMap(collapsed);
  // The names a map gives are names already (a list of them joined with commas, which a byline's tail would cut).
  if (mapped !== undefined) return mapped !== null && mapped.length <= maxBylineLength && !looksLikeUrl(mapped) ? mapped : null;
  const byline = collapsed.replace(bylineLeadIn, '');
  // A byline is a name and perhaps a date; longer text is a biography, not a name.
  if (byline.length > maxBylineLength) return null;
  const name = byline.replace(bylineTail, '').trim();
  if (name.length < 2 || name.length > maxAuthorLength || looksLikeUrl(name)) return null;
  return name;
}

/**
 * Reads an article page's metadata. Title: og:title (site name stripped), then the
 * title heading, then `<title>` without its " | Site" suffix, then JSON-LD `headline`.
 * Author: meta author, article:author (unless a profile URL), JSON-LD `author`, then a
 * byline (rel=author, .author, .byline) outside comments and side bars. Date:
 * article:published_time, itemprop=datePublished, `<time datetime>` near the title,
 * JSON-LD `datePublished`, then a date written in a `.post-date`-like element; the first
 * that parses wins, and an unparseable one is skipped, never guessed. Topics:
 * article:tag and keywords. Call after hidden elements are removed, so that hidden
 * text can not pose as a byline.
 */
export function readPageMetadata($: CheerioAPI, input: ReadPageMetadataInput): PageMetadata {
  const elements = (selector: string): HtmlElement[] => $(selector).toArray().filter(isHtmlElement);
  const meta = (selector: string): string[] =>
    elements(selector)
      .map((element) => collapseWhitespace(element.attribs.content ?? ''))
      .filter(Boolean);
  const firstMeta = (selector: string): string | null => meta(selector)[0] ?? null;
  // The elements matching `selector` inside the article around the title heading first, then anywhere outside
  // comments and side bars.
  const near = (selector: string): HtmlElement[] => {
    const scope = input.titleHeading ? $(input.titleHeading).closest(articleScopeSelector).toArray().find(isHtmlElement) : undefined;
    const inScope = scope ? selectWithin($, scope, selector) : [];
    const everywhere = elements(selector).filter((element) => $(element).closest(foreignScopeSelector).length === 0);
    return [...inScope, ...everywhere];
  };

  const siteName = firstMeta('meta[property="og:site_name"], meta[name="og:site_name"]');
  const ogTitle = firstMeta('meta[property="og:title"], meta[name="og:title"]');
  const headingTitle = input.titleHeading ? elementText(input.titleHeading, { skip: isPermalinkMarker }) : '';
  const documentTitle = $('head > title').first().text() || $('title').first().text();
  const headline = linkedDataField(input.linkedData, 'headline');
  const title =
    (ogTitle && stripSiteName(ogTitle, siteName)) ||
    headingTitle ||
    (documentTitle && stripSiteName(documentTitle, siteName, { guess: true })) ||
    (typeof headline === 'string' && collapseWhitespace(headline)) ||
    null;

  const bylines = near(bylineSelector).map((element) => {
    const named = selectWithin($, element, '[itemprop~="name"]')[0];
    return cleanAuthor(elementText(named ?? element));
  });
  const author =
    cleanAuthor(firstMeta('meta[name="author"], meta[property="author"]')) ??
    meta('meta[property="article:author"], meta[name="article:author"]').map(cleanAuthor).find(Boolean) ??
    (linkedDataNames(linkedDataField(input.linkedData, 'author')).map(cleanAuthor).filter(Boolean).join(', ') || null) ??
    bylines.find(Boolean) ??
    null;

  const datePublished = linkedDataField(input.linkedData, 'datePublished');
  const dateCandidates: (() => (string | undefined)[])[] = [
    () => meta('meta[property="article:published_time"], meta[name="article:published_time"], meta[itemprop="datePublished"]'),
    () => near('[itemprop~="datePublished"]').map((element) => element.attribs.datetime ?? element.attribs.content),
    () => near('time[datetime]').map((element) => element.attribs.datetime),
    () => [typeof datePublished === 'string' ? datePublished : undefined],
    () => near(dateTextSelector).map((element) => elementText(element)),
  ];
  let publishedAt: Date | null = null;
  for (const candidates of dateCandidates) {
    publishedAt =
      candidates()
        .map(parsePublishedDate)
        .find((date) => date !== null) ?? null;
    if (publishedAt) break;
  }

  const canonicalHref = $('link[rel~="canonical"][href]').first().attr('href');
  const canonicalUrl = resolveLink(canonicalHref, input.baseUrl) ?? resolveLink(input.pageUrl, input.pageUrl) ?? input.pageUrl;

  const topics = new Map<string, string>();
  for (const topic of [
    ...meta('meta[property="article:tag"], meta[name="article:tag"]'),
    ...meta('meta[name="keywords"]').flatMap((value) => value.split(',')),
  ]) {
    const trimmed = topic.trim();
    if (trimmed && !topics.has(trimmed.toLowerCase())) topics.set(trimmed.toLowerCase(), trimmed);
  }

  return { title, author, publishedAt, canonicalUrl, topics: [...topics.values()] };
}
