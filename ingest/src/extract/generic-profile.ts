import type { CheerioAPI } from 'cheerio';
import type { ArticleProfile } from './article-profile.js';
import { classifyElement } from './classify-element.js';
import { elementText, nonLinkTextLength } from './element-text.js';
import { findMainContent } from './find-main-content.js';
import { isHtmlElement, type HtmlElement } from './html-node.js';

// Site names dressed as headings: `<h1 class="site-title">`, a logo.
const siteHeadingNames = new Set([
  'site-title',
  'site-name',
  'site-logo',
  'site-branding',
  'blog-title',
  'blog-name',
  'logo',
  'brand',
  'branding',
  'navbar-brand',
]);
const chromeMaximumText = 500;
const titleHeadingSelector = 'h1, .entry-title, .post-title, .article-title, [itemprop~="headline"]';

function hasArticleAncestor(element: HtmlElement): boolean {
  for (let node = element.parent; isHtmlElement(node); node = node.parent) {
    if (/^(article|main)$/i.test(node.tagName) || (node.attribs.role ?? '').toLowerCase() === 'main') return true;
  }
  return false;
}

/** Whether a heading belongs to the page's chrome (site header, menu, side bar) rather than an article. */
function isChromeHeading(heading: HtmlElement): boolean {
  const names = `${heading.attribs.class ?? ''} ${heading.attribs.id ?? ''}`.toLowerCase().split(/\s+/);
  if (names.some((name) => siteHeadingNames.has(name))) return true;
  for (let node: HtmlElement | null = heading; node; node = isHtmlElement(node.parent) ? node.parent : null) {
    const tag = node.tagName.toLowerCase();
    // Everything inside an article or main is the article's, its own <header> included.
    if (tag === 'article' || tag === 'main' || (node.attribs.role ?? '').toLowerCase() === 'main') return false;
    if (tag === 'header' && node !== heading && !hasArticleAncestor(node)) return true;
    const kind = classifyElement(node);
    if (kind === 'structural' || kind === 'comments') return true;
    // A class guess ("header", "sidebar") marks chrome when the element is small; a large one wraps the article.
    if (kind === 'unlikely' && nonLinkTextLength(node) < chromeMaximumText) return true;
  }
  return false;
}

/**
 * Pages of unknown layout (jackdanger.com and the rest): the title heading is the first
 * h1 (or `.entry-title`, `.post-title`, `itemprop=headline`) outside the site's header,
 * menus and side bars; the body comes from `findMainContent`.
 */
export const genericProfile: ArticleProfile = {
  name: 'generic',
  matches: () => true,
  findTitleHeading: ($: CheerioAPI) =>
    $(titleHeadingSelector)
      .get()
      .find((heading) => !isChromeHeading(heading) && elementText(heading) !== '') ?? null,
  findContent: ($) => findMainContent($),
  listingScope: (_$, content) => content,
};
