import type { CheerioAPI } from 'cheerio';
import { measureText } from './element-text.js';
import { isHtmlElement, type HtmlElement } from './html-node.js';

// The ways of hiding text that need a style read: see-through, zero-sized, clipped, off
// screen, the colour of the background, or hidden by the page's own style sheets. The
// markup-only ways (`hidden`, `aria-hidden`, inline `display: none`, hiding classes) are
// removeInvisibleElements's.

/** `white`, `#fff`, `#FFFFFF`, `rgb(255, 255, 255)`, `rgba(…, 1)` as `#ffffff`; undefined for what is not read. */
function normalizeColor(value: string): string | undefined {
  const color = value
    .trim()
    .toLowerCase()
    .replace(/\s*!important$/, '');
  const named: Record<string, string> = { white: '#ffffff', black: '#000000' };
  if (named[color]) return named[color];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (/^#[0-9a-f]{6}$/.test(color)) return color;
  const rgb = /^rgba?\(\s*(\d+)\s*,?\s*(\d+)\s*,?\s*(\d+)\s*(?:[,/]\s*(1|1\.0+|100%)\s*)?\)$/.exec(color);
  return rgb
    ? `#${rgb
        .slice(1, 4)
        .map((part) => Number(part).toString(16).padStart(2, '0'))
        .join('')}`
    : undefined;
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
  if (
    /^rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)/.test(value('clip') ?? '') ||
    /^(?:inset\(\s*50%|circle\(\s*0)/.test(value('clip-path') ?? '')
  )
    return true;
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
    else if (!prelude.startsWith('@'))
      rules.push({
        selectors: prelude
          .split(',')
          .map((selector) => selector.trim())
          .filter(Boolean),
        body,
        conditional,
      });
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
    /^none\b/i.test(declaration(body, 'display') ?? '') ||
    /^(?:hidden|collapse)\b/i.test(declaration(body, 'visibility') ?? '') ||
    concealsText(body);
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
export function removeConcealedElements($: CheerioAPI): void {
  const body = $('body')[0];
  const pageText = Math.max(body ? measureText(body).textLength : 0, 1);
  const concealed = [...hiddenByStyleSheets($)];
  $('[style]').each((_, element) => {
    if (!isHtmlElement(element)) return;
    const style = element.attribs.style ?? '';
    if (concealsText(style) || movesOffScreen(style) || matchesBackground(element)) concealed.push(element);
  });
  const holdsThePage = (element: HtmlElement) =>
    /^(?:html|head|body)$/i.test(element.tagName) || measureText(element).textLength * 2 >= pageText;
  $(concealed.filter((element) => !holdsThePage(element))).remove();
}
