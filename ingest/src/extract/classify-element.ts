import type { HtmlElement } from './html-node.js';

/**
 * What an element's tag, role, class and id say about it:
 * - `comments`: a comment section or thread; never article text, however long.
 * - `structural`: navigation, side bars, footers, tables of contents, pagination, share
 *   and newsletter blocks, by tag, ARIA role or a well-known class or id.
 * - `unlikely`: class or id words that usually mark boilerplate (`sidebar`, `related`,
 *   `post-meta`); a guess, so callers protect elements that hold the article.
 * - `likely`: class or id words of article bodies (`content`, `entry`, `post`).
 * - `neutral`: nothing either way.
 */
export type ElementClass = 'comments' | 'structural' | 'unlikely' | 'likely' | 'neutral';

const structuralTags = new Set(['nav', 'aside', 'footer', 'menu']);
const structuralRoles = new Set(['navigation', 'complementary', 'contentinfo', 'banner', 'search', 'menu', 'menubar']);
// Exact class or id values of themes we have seen; word matching below catches the rest.
const structuralNames = new Set([
  'toc',
  'table-of-contents',
  'tableofcontents',
  'pagination',
  'pager',
  'post-navigation',
  'post-nav',
  'nav-links',
  'navigation',
  'share',
  'sharing',
  'share-buttons',
  'social-share',
  'sharedaddy',
  'newsletter',
  'subscribe',
  'signup',
  'breadcrumb',
  'breadcrumbs',
]);
const commentNames = new Set(['comments', 'comment-list', 'commentlist', 'comments-area', 'disqus_thread', 'respond', 'comment-respond']);

const commentWords = new Set(['comment', 'comments', 'disqus', 'replies', 'respond', 'giscus', 'utterances']);
const unlikelyWords = new Set([
  'sidebar',
  'widget',
  'widgets',
  'newsletter',
  'subscribe',
  'subscription',
  'signup',
  'share',
  'sharing',
  'sharedaddy',
  'social',
  'pagination',
  'pager',
  'breadcrumb',
  'breadcrumbs',
  'toc',
  'related',
  'promo',
  'promotion',
  'sponsor',
  'sponsored',
  'advert',
  'advertisement',
  'ads',
  'ad',
  'cookie',
  'cookies',
  'consent',
  'popup',
  'modal',
  'byline',
  'meta',
  'tags',
  'footer',
  'menu',
  'navbar',
  'nav',
  'masthead',
  'skip',
]);
// Words that mark boilerplate only when nothing marks the element as content (`entry-header`).
const weakWords = new Set(['header', 'banner', 'extra', 'supplemental', 'community', 'rss', 'copyright', 'legal']);
const likelyWords = new Set(['article', 'body', 'content', 'entry', 'main', 'post', 'story', 'text', 'prose', 'markdown']);

/** The words of an element's class and id: `TableOfContents post-meta` gives table, of, contents, post, meta. */
export function classWords(element: HtmlElement): string[] {
  const names = `${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`;
  return names
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function classNames(element: HtmlElement): string[] {
  return `${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Classifies an element by its own tag, role, class and id (never by its ancestors). */
export function classifyElement(element: HtmlElement): ElementClass {
  const tag = element.tagName.toLowerCase();
  const names = classNames(element);
  const words = classWords(element);
  if (names.some((name) => commentNames.has(name)) || words.some((word) => commentWords.has(word))) return 'comments';
  if (structuralTags.has(tag)) return 'structural';
  if (structuralRoles.has((element.attribs.role ?? '').toLowerCase())) return 'structural';
  if (names.some((name) => structuralNames.has(name))) return 'structural';
  const likely = words.some((word) => likelyWords.has(word));
  if (words.some((word) => unlikelyWords.has(word))) return 'unlikely';
  if (!likely && words.some((word) => weakWords.has(word))) return 'unlikely';
  return likely ? 'likely' : 'neutral';
}
