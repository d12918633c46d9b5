import type { CheerioAPI } from 'cheerio';
import { descendantElements, type HtmlElement } from './html-node.js';

/**
 * The elements inside `root` that match `selector`, in document order: what
 * `$(root).find(selector)` returns, in linear time. Cheerio's `find` first removes
 * nested duplicates from the root's children in quadratic time, which takes seconds on
 * a content element with thousands of children (a long page with flat markup).
 */
export function selectWithin($: CheerioAPI, root: HtmlElement, selector: string): HtmlElement[] {
  return $(descendantElements(root)).filter(selector).toArray();
}
