import type { CheerioAPI } from 'cheerio';
import { classifyElement, type ElementClass } from './classify-element.js';
import { blockLevelTags, collapseWhitespace, elementText, linkDensity, nonLinkTextLength } from './element-text.js';
import { isHtmlElement, isHtmlText, type HtmlElement } from './html-node.js';
import { selectWithin } from './select-within.js';

/** A semantic container (main, article) is taken as is when it holds this much text outside links. */
const semanticMinimumText = 140;
/** Shorter stretches of text are captions, buttons and labels, not paragraphs. */
const paragraphMinimumText = 25;
const scoredSelector = 'p, pre, td, blockquote, div, section';
// An index page's entries: a heading that links to another page.
const linkedHeadingSelector = 'h1 a[href]:not([href^="#"]), h2 a[href]:not([href^="#"]), h3 a[href]:not([href^="#"])';

/** Text an element holds outside its block-level children: all of a p, the loose text of an old-style div. */
function ownText(element: HtmlElement): string {
  const parts: string[] = [];
  for (const child of element.children) {
    if (isHtmlText(child)) parts.push(child.data);
    else if (isHtmlElement(child) && !blockLevelTags.has(child.tagName.toLowerCase())) parts.push(' ', elementText(child), ' ');
  }
  return collapseWhitespace(parts.join(''));
}

/**
 * Whether text in `element` is page furniture. Strict: inside anything marked as
 * boilerplate, by tag (header, form too) or class words. Lenient (the second pass, for
 * pages wrapped whole in `div.page-with-sidebar`): only navigation, footers, side bars
 * and comments by tag or well-known name.
 */
function inFurniture(element: HtmlElement, strict: boolean): boolean {
  for (
    let node: HtmlElement | null = element;
    node && node.tagName.toLowerCase() !== 'body';
    node = isHtmlElement(node.parent) ? node.parent : null
  ) {
    const kind: ElementClass = classifyElement(node);
    if (kind === 'comments' || kind === 'structural') return true;
    if (strict && (kind === 'unlikely' || /^(header|form)$/i.test(node.tagName))) return true;
  }
  return false;
}

// Readability's starting scores: containers of prose up, lists and headings down.
const tagScores: Readonly<Record<string, number>> = {
  div: 5,
  article: 5,
  section: 5,
  main: 5,
  pre: 3,
  td: 3,
  blockquote: 3,
  ol: -3,
  ul: -3,
  dl: -3,
  dd: -3,
  dt: -3,
  li: -3,
  form: -3,
  address: -3,
  h1: -5,
  h2: -5,
  h3: -5,
  h4: -5,
  h5: -5,
  h6: -5,
  th: -5,
};
const classScores: Readonly<Record<ElementClass, number>> = { likely: 25, neutral: 0, unlikely: -25, structural: -25, comments: -25 };

function initialScore(element: HtmlElement): number {
  return (tagScores[element.tagName.toLowerCase()] ?? 0) + classScores[classifyElement(element)];
}

/**
 * Readability's scoring: each paragraph of at least 25 characters outside page
 * furniture earns points (one, plus one per comma, plus one per 100 characters up to
 * three) for its parent, half for its grandparent and a sixth for the next ancestor;
 * a container's score starts from its tag and class words and is scaled by the share
 * of its text outside links. The best-scoring container wins.
 */
function bestScoredContainer($: CheerioAPI, strict: boolean): HtmlElement | null {
  const scores = new Map<HtmlElement, number>();
  const body = $('body')[0];
  for (const element of body ? selectWithin($, body, scoredSelector) : []) {
    const text = ownText(element);
    if (text.length < paragraphMinimumText || inFurniture(element, strict)) continue;
    const points = 1 + (text.match(/[,，、]/g)?.length ?? 0) + Math.min(Math.floor(text.length / 100), 3);
    let ancestor = element.parent;
    for (let level = 0; level < 3 && isHtmlElement(ancestor) && ancestor.tagName.toLowerCase() !== 'html'; level += 1) {
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(ancestor, (scores.get(ancestor) ?? initialScore(ancestor)) + points / divider);
      ancestor = ancestor.parent;
    }
  }
  let best: HtmlElement | null = null;
  let bestScore = 0;
  for (const [candidate, score] of scores) {
    const final = score * (1 - linkDensity(candidate));
    if (final > bestScore) {
      best = candidate;
      bestScore = final;
    }
  }
  return best;
}

/**
 * Finds the main content of a page of unknown layout. A semantic container comes
 * first: the one top-level `<article>` with the most text (unless several articles
 * carry linked headings, as an index page's entries do), then `<main>` or
 * `[role=main]`, each only when it holds at least 140 characters outside links. Else
 * the best container by paragraph text and link density, ignoring navigation, side bars,
 * headers, footers, forms and comments; if that ignores everything, again with only
 * navigation, side bars, footers and comments ignored. Null when no container holds a
 * paragraph.
 */
export function findMainContent($: CheerioAPI): HtmlElement | null {
  const articles = $('article')
    .filter((_, article) => $(article).parents('article').length === 0 && !inFurniture(article, false))
    .get();
  const linkedEntries = articles.filter((article) => selectWithin($, article, linkedHeadingSelector).length > 0);
  if (linkedEntries.length < 2) {
    const article = articles.reduce<HtmlElement | null>(
      (best, candidate) => (!best || nonLinkTextLength(candidate) > nonLinkTextLength(best) ? candidate : best),
      null,
    );
    if (article && nonLinkTextLength(article) >= semanticMinimumText) return article;
  }
  const main = $('main, [role="main"]').first()[0];
  if (main && nonLinkTextLength(main) >= semanticMinimumText) return main;
  return bestScoredContainer($, true) ?? bestScoredContainer($, false);
}
