import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { DocumentOutline, OutlineBlock } from '../outline.js';
import type { ArticleProfileName } from './article-profile.js';
import { chooseArticleProfile } from './choose-article-profile.js';
import { collectLinks, documentBaseUrl } from './collect-links.js';
import { collapseWhitespace, elementText, measureText } from './element-text.js';
import { ExtractionError } from './extraction-error.js';
import { containsNode, isHtmlElement, type HtmlElement } from './html-node.js';
import { looksLikeListing } from './looks-like-listing.js';
import { headingAnchor, readBlocks } from './read-blocks.js';
import { readLinkedData } from './read-linked-data.js';
import { readPageMetadata } from './read-page-metadata.js';
import { isPermalinkMarker, removeBoilerplate } from './remove-boilerplate.js';
import { removeInvisibleElements } from './remove-invisible-elements.js';

export { ExtractionError } from './extraction-error.js';

/** What the crawler gets from one fetched article page. */
export interface ExtractedPage {
  /** Title, author, date, canonical URL, kind 'article', topics and the content's blocks. */
  outline: DocumentOutline;
  /** Absolute, without fragment: `<link rel="canonical">` resolved against the page, else the page's URL. */
  canonicalUrl: string;
  /** Distinct absolute http(s) URLs linked from the article's content (no menus, side bars or pagination), for link discovery. */
  links: string[];
  /** Which profile read the page. */
  profile: ArticleProfileName;
}

/** Fewer characters outside links than this is no article (an empty body, a page of links). */
const minimumArticleText = 50;
/** Content whose text is more than this share links is a list of links, not prose. */
const maximumLinkDensity = 0.5;

function sameText(left: string, right: string): boolean {
  return collapseWhitespace(left).toLowerCase() === collapseWhitespace(right).toLowerCase();
}

/**
 * Characters that render as nothing (or reorder what is shown) and carry no meaning in
 * prose: zero-width spaces and joiners of words, soft hyphens, the byte-order mark,
 * bidirectional overrides and isolates, and the Unicode tag and variation-selector
 * blocks that "ASCII smuggling" spells whole instructions in. A reader never sees them,
 * a model reads them, and they split words so that no pattern matches an instruction.
 * (Zero-width joiners and non-joiners stay: emoji and several scripts need them.)
 */
const invisibleCharacters = /[\u00ad\u180e\u200b\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/gu;

function withoutInvisibleCharacters(text: string): string {
  return text.replace(invisibleCharacters, '');
}

/** The outline with invisible characters taken out of every text it carries; blocks left empty go. */
function stripInvisibleCharacters(outline: DocumentOutline): DocumentOutline {
  const blocks = outline.blocks
    .map((block) => ({ ...block, text: withoutInvisibleCharacters(block.text) }))
    .filter((block) => block.text.trim() !== '');
  const author = outline.author === null ? null : withoutInvisibleCharacters(outline.author) || null;
  return { ...outline, title: withoutInvisibleCharacters(outline.title), author, topics: outline.topics.map(withoutInvisibleCharacters).filter(Boolean), blocks };
}

/** `white`, `#fff`, `#FFFFFF`, `rgb(255, 255, 255)`, `rgba(…, 1)` as `#ffffff`; undefined for what is not read. */
function normalizeColor(value: string): string | undefined {
  const color = value.trim().toLowerCase().replace(/\s*!important$/, '');
  const named: Record<string, string> = { white: '#ffffff', black: '#000000' };
  if (named[color]) return named[color];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (/^#[0-9a-f]{6}$/.test(color)) return color;
  const rgb = /^rgba?\(\s*(\d+)\s*,?\s*(\d+)\s*,?\s*(\d+)\s*(?:[,/]\s*(1|1\.0+|100%)\s*)?\)$/.exec(color);
  return rgb ? `#${rgb.slice(1, 4).map((part) => Number(part).toString(16).padStart(2, '0')).join('')}` : undefined;
}

/** The value of one declaration of an inline style or rule body, the last one winning as in CSS. */
function declaration(style: string, property: string): string | undefined {
  let value: string | undefined;
  for (const part of style.split(';')) {
    const colon = part.indexOf(':');
    if (colon !== -1 && part.slice(0, colon).trim().toLowerCase() === property) value = part.slice(colon + 1).trim();
  }
  return value;
}

/** A CSS length of zero (`0`, `0px`, `0.0em`, `0%`). */
const zeroLength = /^0*(?:\.0+)?(?:px|em|rem|pt|vh|vw|%)?(?:\s*!important)?$/i;

/** Whether a length puts a box far off screen: -500px or more, or -30em. */
function isFarOffScreen(value: string | undefined): boolean {
  const match = /^(-\d+(?:\.\d+)?)(px|em|rem|pt)?/i.exec(value?.trim() ?? '');
  if (!match) return false;
  return Number(match[1]) <= ((match[2] ?? 'px').toLowerCase().endsWith('em') ? -30 : -500);
}

/**
 * Whether declarations make text invisible in a way `removeInvisibleElements` does not
 * look for: see-through, zero-sized, clipped away, scaled to nothing or coloured
 * transparent (`display: none` and `visibility: hidden` it removes already).
 */
function concealsText(style: string): boolean {
  const value = (property: string) => declaration(style, property)?.toLowerCase();
  if (zeroLength.test(value('opacity') ?? 'x') || zeroLength.test(value('font-size') ?? 'x')) return true;
  if (value('color') === 'transparent') return true;
  if (/^scale\(\s*0*(?:\.0+)?\s*[,)]/.test(value('transform') ?? '')) return true;
  if (/^rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)/.test(value('clip') ?? '') || /^(?:inset\(\s*50%|circle\(\s*0)/.test(value('clip-path') ?? '')) return true;
  const zeroSized = ['width', 'height', 'max-width', 'max-height'].some((property) => zeroLength.test(value(property) ?? 'x'));
  return zeroSized && value('overflow') === 'hidden';
}

/** Whether an inline style moves the box or its text far off screen, the old way of hiding text. */
function movesOffScreen(style: string): boolean {
  return ['left', 'top', 'right', 'text-indent'].some((property) => isFarOffScreen(declaration(style, property)));
}

/**
 * Whether the element's text is drawn in the colour of the background behind it: the
 * nearest inline background of the element or an ancestor, else the usual white page.
 */
function matchesBackground(element: HtmlElement): boolean {
  const color = normalizeColor(declaration(element.attribs.style ?? '', 'color') ?? '');
  if (!color) return false;
  for (let current: HtmlElement | null = element; current; current = isHtmlElement(current.parent) ? current.parent : null) {
    const style = current.attribs.style ?? '';
    const background = declaration(style, 'background-color') ?? declaration(style, 'background');
    if (background !== undefined) return normalizeColor(background) === color;
  }
  return color === '#ffffff';
}

interface StyleRule {
  selectors: string[];
  body: string;
  /** Inside an @media or @supports block: applies on some screens only. */
  conditional: boolean;
}

/** The rules of a style sheet (comments dropped), those nested in @media and @supports marked conditional. */
function styleRules(css: string, conditional = false): StyleRule[] {
  const rules: StyleRule[] = [];
  let index = 0;
  while (index < css.length) {
    const open = css.indexOf('{', index);
    if (open === -1) break;
    let depth = 1;
    let close = open + 1;
    for (; close < css.length && depth > 0; close += 1) depth += css[close] === '{' ? 1 : css[close] === '}' ? -1 : 0;
    // Statements before the rule (`@import url(x);`) end with a semicolon.
    const prelude = css.slice(index, open).split(';').at(-1)!.trim();
    const body = css.slice(open + 1, close - 1);
    if (/^@(?:media|supports)\b/i.test(prelude)) rules.push(...styleRules(body, true));
    else if (!prelude.startsWith('@')) rules.push({ selectors: prelude.split(',').map((selector) => selector.trim()).filter(Boolean), body, conditional });
    index = close;
  }
  return rules;
}

/**
 * The elements the page's own `<style>` sheets hide unconditionally (`.note { display: none }`),
 * which no inline attribute gives away. Rules in @media blocks are left alone, and so is a
 * selector some @media rule shows again, since such text is visible on some screens; so
 * are selectors with pseudo-classes (`:hover`), which depend on the reader. Clipping and
 * off-screen positioning in a sheet are the screen-reader-only pattern, whose text
 * `removeInvisibleElements` judges by itself, so only the unambiguous ways count here.
 */
function hiddenByStyleSheets($: CheerioAPI): HtmlElement[] {
  const css = $('style')
    .map((_, element) => $(element).text())
    .get()
    .join('\n')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  const rules = styleRules(css);
  const hides = (body: string) =>
    /^none\b/i.test(declaration(body, 'display') ?? '') || /^(?:hidden|collapse)\b/i.test(declaration(body, 'visibility') ?? '') || concealsText(body);
  const shownSomewhere = new Set(rules.filter((rule) => rule.conditional && !hides(rule.body)).flatMap((rule) => rule.selectors));
  const hidden: HtmlElement[] = [];
  for (const rule of rules) {
    if (rule.conditional || !hides(rule.body)) continue;
    for (const selector of rule.selectors) {
      if (selector.includes(':') || shownSomewhere.has(selector)) continue;
      try {
        $(selector).each((_, element) => {
          if (isHtmlElement(element)) hidden.push(element);
        });
      } catch {
        // A selector cheerio cannot read hides nothing we can tell.
      }
    }
  }
  return hidden;
}

/**
 * Removes text a reader cannot see that `removeInvisibleElements` does not catch: inline
 * styles that make it see-through, zero-sized, clipped, off screen or the colour of its
 * background, and elements the page's own style sheets hide. Hidden text is where pages
 * put instructions aimed at machines. The page itself, and any element holding half of
 * its text, are never removed: a sheet that hides the whole page until a script runs
 * (anti-flicker snippets) hides nothing from a reader. Runs before the style sheets go.
 */
function removeConcealedElements($: CheerioAPI): void {
  const body = $('body')[0];
  const pageText = Math.max(body ? measureText(body).textLength : 0, 1);
  const concealed = [...hiddenByStyleSheets($)];
  $('[style]').each((_, element) => {
    if (!isHtmlElement(element)) return;
    const style = element.attribs.style ?? '';
    if (concealsText(style) || movesOffScreen(style) || matchesBackground(element)) concealed.push(element);
  });
  const holdsThePage = (element: HtmlElement) => /^(?:html|head|body)$/i.test(element.tagName) || measureText(element).textLength * 2 >= pageText;
  $(concealed.filter((element) => !holdsThePage(element))).remove();
}

/**
 * Extracts the article from a fetched HTML page. Pure: no I/O, and the same input gives
 * the same output.
 *
 * Steps: read JSON-LD; remove everything a reader does not see (scripts, styles, comments,
 * elements hidden by attributes, inline styles or the page's style sheets, invisible
 * characters), so hidden instructions never reach an outline; choose a profile by the
 * page's markup (`hugo-ananke`, `larahogan`, else `generic`); read the metadata; find
 * the content element; remove its boilerplate; read its blocks in document order. The
 * article's title heading is the first, level-1 heading: read in place when it is inside
 * the content, put first when it is outside and reads the same as the title.
 *
 * @param pageUrl the absolute http(s) URL the page was fetched from; relative links and
 *   a relative canonical link resolve against it (or against the page's `<base href>`).
 * @throws ExtractionError when the page holds no article: no content element, a listing
 *   of other pages, fewer than 50 characters of text outside links, or mostly links.
 * @throws TypeError when `pageUrl` is not an absolute http(s) URL.
 */
export function extractArticle(html: string, pageUrl: string): ExtractedPage {
  if (!URL.canParse(pageUrl) || !/^https?:$/.test(new URL(pageUrl).protocol)) {
    throw new TypeError(`extractArticle needs the absolute http(s) URL the page was fetched from, got ${JSON.stringify(pageUrl)}`);
  }
  const $ = cheerio.load(html);
  const linkedData = readLinkedData($);
  removeConcealedElements($);
  removeInvisibleElements($);
  const profile = chooseArticleProfile($);
  const titleHeading = profile.findTitleHeading($);
  const baseUrl = documentBaseUrl($, pageUrl);
  const metadata = readPageMetadata($, { pageUrl, baseUrl, titleHeading, linkedData });

  const content = profile.findContent($, titleHeading);
  if (!content) throw new ExtractionError(pageUrl, `no article content found by the ${profile.name} profile`);
  removeBoilerplate($, content, titleHeading);
  const listingScope = profile.listingScope($, content);
  if (looksLikeListing($, listingScope, baseUrl, pageUrl)) {
    // The listed pages are worth discovering even though this page is not worth storing.
    throw new ExtractionError(pageUrl, 'the page lists other pages rather than holding an article', { links: collectLinks($, listingScope, baseUrl, pageUrl) });
  }
  const links = collectLinks($, content, baseUrl, pageUrl);

  const blocks: OutlineBlock[] = readBlocks(content, { titleHeading });
  const title = metadata.title ?? blocks.find((block) => block.kind === 'heading')?.text ?? null;
  if (!title) throw new ExtractionError(pageUrl, 'the page has no title (no og:title, title heading or <title>)');
  if (titleHeading && !containsNode(content, titleHeading)) {
    const text = elementText(titleHeading, { skip: isPermalinkMarker });
    const alreadyRead = blocks.some((block) => block.kind === 'heading' && block.level === 1 && sameText(block.text, text));
    if (text && sameText(text, title) && !alreadyRead) blocks.unshift({ kind: 'heading', level: 1, text, anchor: headingAnchor(titleHeading, text) });
  }

  const { textLength, linkTextLength } = measureText(content);
  if (!blocks.some((block) => block.kind === 'text') || textLength - linkTextLength < minimumArticleText) {
    throw new ExtractionError(pageUrl, 'the page has no article text', { links });
  }
  if (linkTextLength / textLength > maximumLinkDensity) {
    throw new ExtractionError(pageUrl, `the page is mostly links (${Math.round((100 * linkTextLength) / textLength)}% of its text), not an article`, { links });
  }

  return {
    outline: stripInvisibleCharacters({
      title,
      author: metadata.author,
      publishedAt: metadata.publishedAt,
      url: metadata.canonicalUrl,
      kind: 'article',
      topics: metadata.topics,
      frameworks: [],
      blocks,
    }),
    canonicalUrl: metadata.canonicalUrl,
    links,
    profile: profile.name,
  };
}
