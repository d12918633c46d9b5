import type { CheerioAPI } from 'cheerio';
import { elementText } from './element-text.js';
import { isHtmlElement, type HtmlElement } from './html-node.js';

// Never rendered as text, or only controls: their words are not the article's.
const neverTextTags = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'canvas',
  'svg',
  'audio',
  'video',
  'map',
  'button',
  'input',
  'select',
  'option',
  'textarea',
]);
const hiddenStyle = /\bdisplay\s*:\s*none\b|\bvisibility\s*:\s*(?:hidden|collapse)\b/i;
// Utility classes of CSS frameworks whose only job is display: none (Bootstrap, Tailwind, Bulma).
const hiddenClasses = new Set(['hidden', 'd-none', 'is-hidden', 'display-none', 'hide', 'invisible']);
// `hidden md:block`, `d-none d-lg-block`: hidden on small screens only, shown to most readers.
const responsiveOverride = /:|^d-(?:sm|md|lg|xl|xxl)-|^(?:is-)?(?:visible|shown)-/;
const screenReaderClasses = new Set([
  'sr-only',
  'sr-only-focusable',
  'visually-hidden',
  'visually-hidden-focusable',
  'visuallyhidden',
  'screen-reader-text',
  'screen-reader-only',
  'screenreader',
  'a11y-hidden',
  'assistive-text',
]);
/** Screen-reader-only text up to this long is a decoration ("Skip to content", "(opens in a new tab)"). */
const decorationMaxLength = 40;

function classList(element: HtmlElement): string[] {
  return (element.attribs.class ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

/** Whether a reader of the rendered page would not see the element (as far as markup alone tells). */
export function isInvisibleElement(element: HtmlElement): boolean {
  const tag = element.tagName.toLowerCase();
  if (neverTextTags.has(tag)) return true;
  if (tag === 'dialog' && element.attribs.open === undefined) return true;
  if (element.attribs.hidden !== undefined) return true;
  if ((element.attribs['aria-hidden'] ?? '').trim().toLowerCase() === 'true') return true;
  if (hiddenStyle.test(element.attribs.style ?? '')) return true;
  const classes = classList(element);
  if (classes.some((name) => hiddenClasses.has(name)) && !classes.some((name) => responsiveOverride.test(name))) return true;
  // Screen-reader text is real text for some readers: only short decorations go, so a
  // visually hidden caption or heading that carries content is kept.
  if (classes.some((name) => screenReaderClasses.has(name))) return elementText(element).length <= decorationMaxLength;
  return false;
}

/**
 * Removes, from the whole page, everything a reader does not see: scripts, styles,
 * embeds, form controls, and elements hidden by the `hidden` attribute,
 * `aria-hidden="true"`, an inline `display: none` or `visibility: hidden`, or a hiding
 * utility class. Hidden text is where pages put instructions aimed at machines, so none
 * of it may reach an outline. Mutates the document.
 */
export function removeInvisibleElements($: CheerioAPI): void {
  const invisible: HtmlElement[] = [];
  $('*').each((_, element) => {
    if (isHtmlElement(element) && isInvisibleElement(element)) invisible.push(element);
  });
  // Removing an ancestor first leaves its descendants detached; removing them again is harmless.
  $(invisible).remove();
}
