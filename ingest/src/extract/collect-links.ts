import type { CheerioAPI } from 'cheerio';
import type { HtmlElement } from './html-node.js';
import { selectWithin } from './select-within.js';

/**
 * Resolves an `href` against the page's base URL into an absolute http(s) URL without
 * its fragment, or null for what a crawler cannot follow: `mailto:`, `javascript:`,
 * `tel:`, fragment-only links (the same page) and malformed URLs.
 */
export function resolveLink(href: string | undefined, baseUrl: string): string | null {
  const value = href?.trim();
  if (!value || value.startsWith('#')) return null;
  if (!URL.canParse(value, baseUrl)) return null;
  const url = new URL(value, baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  return url.href;
}

/** The URL relative links resolve against: the page's `<base href>` when it has one, else the page's own URL. */
export function documentBaseUrl($: CheerioAPI, pageUrl: string): string {
  const base = $('base[href]').first().attr('href')?.trim();
  return base && URL.canParse(base, pageUrl) ? new URL(base, pageUrl).href : pageUrl;
}

/**
 * The distinct absolute http(s) URLs that links inside `content` point to, in document
 * order, fragments dropped, links back to the page itself left out. Only the content is
 * read (call this after boilerplate is removed), so menus, side bars and pagination do
 * not steer link discovery. URLs are not normalised further: the crawler does that with
 * its own scope rules.
 */
export function collectLinks($: CheerioAPI, content: HtmlElement, baseUrl: string, pageUrl: string): string[] {
  const self = resolveLink(pageUrl, pageUrl);
  const links = new Set<string>();
  for (const element of selectWithin($, content, 'a[href], area[href]')) {
    const url = resolveLink(element.attribs.href, baseUrl);
    if (url && url !== self) links.add(url);
  }
  return [...links];
}
