import type { CheerioAPI } from 'cheerio';
import { collapseWhitespace, elementText } from './element-text.js';
import { resolveLink } from './collect-links.js';
import type { HtmlElement } from './html-node.js';
import { selectWithin } from './select-within.js';

/** An index page lists at least this many titles linking elsewhere. */
const minimumLinkedHeadings = 3;

/**
 * Whether `scope` lists other pages rather than holding an article: at least three of
 * its headings (outside menus and side bars), and at least half of them, are each one
 * link to another page, as on a blog's index or a Hugo section page. A heading's
 * permalink to itself (`#anchor`) does not count.
 */
export function looksLikeListing($: CheerioAPI, scope: HtmlElement, baseUrl: string, pageUrl: string): boolean {
  const self = resolveLink(pageUrl, pageUrl);
  const headings = selectWithin($, scope, 'h1, h2, h3, h4').filter((heading) => $(heading).closest('nav, aside, footer').length === 0);
  const linked = headings.filter((heading) => {
    const text = collapseWhitespace(elementText(heading));
    return selectWithin($, heading, 'a[href]').some((link) => {
      const target = resolveLink(link.attribs.href, baseUrl);
      return target !== null && target !== self && elementText(link) === text;
    });
  });
  return linked.length >= minimumLinkedHeadings && linked.length * 2 >= headings.length;
}
