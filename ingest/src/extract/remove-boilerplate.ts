import type { CheerioAPI } from 'cheerio';
import { classifyElement } from './classify-element.js';
import { collapseWhitespace, elementText, measureText } from './element-text.js';
import { containsNode, descendantElements, type HtmlElement } from './html-node.js';
import { selectWithin } from './select-within.js';

/** A class-guessed element holding at least this share of the content's text is a wrapper, not boilerplate. */
const wrapperShare = 0.5;
const permalinkMarker = /^[#¶§🔗∞]*$/u;

/**
 * Whether an element is a heading's permalink marker (`<a href="#intro">#</a>`): its
 * text is a symbol a reader never reads aloud.
 */
export function isPermalinkMarker(element: HtmlElement): boolean {
  if (element.tagName.toLowerCase() !== 'a' || !(element.attribs.href ?? '').startsWith('#')) return false;
  return permalinkMarker.test(collapseWhitespace(elementText(element)).replace(/\s/g, ''));
}

// Links to a site's taxonomy pages: a post's tag list, not its text.
const taxonomyPath = /\/(?:tags?|categories|category|topics)\/[^/]/i;
// What previous/next links say besides the linked titles: "<< Title", "Next post: Title →", and
// a book's or a course's "Next chapter: Title" (staffeng.com's and its sister sites' theme).
const postNavigationCue = /[«»←→‹›]|<<|>>|\b(?:previous|prev|next|older|newer)\b/i;
const postNavigationFiller =
  /[«»←→‹›<>|·•:\-–—]|\b(?:previous|prev|next|older|newer|post|posts|article|entry|chapter|part|lesson|page)\b/gi;

function linksOf(element: HtmlElement): HtmlElement[] {
  return descendantElements(element).filter((child) => child.tagName.toLowerCase() === 'a' && child.attribs.href !== undefined);
}

/** Text of an element outside its links. */
function textOutsideLinks(element: HtmlElement): string {
  return elementText(element, { skip: (child) => child.tagName.toLowerCase() === 'a' });
}

/** A list whose every item is one link to a tag or category page (Hugo's tags partial, WordPress's tag lists). */
function isTaxonomyList(element: HtmlElement): boolean {
  if (!/^(ul|ol)$/i.test(element.tagName)) return false;
  const links = linksOf(element);
  return links.length > 0 && links.every((link) => taxonomyPath.test(link.attribs.href ?? '')) && textOutsideLinks(element) === '';
}

/**
 * A block of one or two links to the neighbouring posts, told apart from a paragraph that
 * is one link ("Read the RFC") by its arrows or previous/next words, and from prose by
 * having nothing else to say.
 */
function isPostNavigation(element: HtmlElement): boolean {
  if (!/^(div|p|section)$/i.test(element.tagName)) return false;
  const links = linksOf(element);
  if (links.length === 0 || links.length > 2) return false;
  const outside = textOutsideLinks(element);
  if (!postNavigationCue.test(outside) && !links.some((link) => postNavigationCue.test(elementText(link)))) return false;
  return outside.replace(postNavigationFiller, '').trim() === '';
}

/**
 * Removes the boilerplate inside an article's content element: headers (a header that
 * holds the article's own title heading is replaced by that heading), navigation, side
 * bars, footers, tables of contents, pagination, share and newsletter blocks, comment
 * sections, forms, tag lists, previous/next links (by their arrows and words, where no
 * class names them), heading permalink markers and code line numbers. Elements guessed
 * from class or id words alone (`sidebar`, `related`, `post-meta`) are kept when they
 * hold the title heading or half of the content's text, since such a guess is sometimes a
 * layout wrapper around the article itself. Mutates the document.
 */
export function removeBoilerplate($: CheerioAPI, content: HtmlElement, titleHeading: HtmlElement | null): void {
  const holdsTitle = (element: HtmlElement) => titleHeading !== null && containsNode(element, titleHeading);
  const contentLength = Math.max(measureText(content).textLength, 1);
  const isWrapper = (element: HtmlElement) => measureText(element).textLength / contentLength >= wrapperShare;

  for (const header of selectWithin($, content, 'header')) {
    if (!holdsTitle(header)) $(header).remove();
    else if (titleHeading && header !== titleHeading) $(header).replaceWith(titleHeading);
  }

  const doomed: HtmlElement[] = [];
  for (const element of descendantElements(content)) {
    if (holdsTitle(element)) continue;
    const tag = element.tagName.toLowerCase();
    if (tag === 'form') {
      // Pages built on ASP.NET wrap everything in one form; a newsletter form is small.
      if (!isWrapper(element)) doomed.push(element);
      continue;
    }
    if (isPermalinkMarker(element) && $(element).closest('h1, h2, h3, h4, h5, h6').length > 0) {
      doomed.push(element);
      continue;
    }
    if (isTaxonomyList(element) || isPostNavigation(element)) {
      doomed.push(element);
      continue;
    }
    const kind = classifyElement(element);
    if (kind === 'comments' || kind === 'structural') doomed.push(element);
    else if (kind === 'unlikely' && !isWrapper(element)) doomed.push(element);
  }
  $(doomed).remove();

  // Chroma (Hugo's highlighter) puts line numbers in their own spans or table column.
  $(selectWithin($, content, 'pre .lnt, pre .ln, td.lntd:first-child')).remove();
}
