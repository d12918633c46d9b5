import { isHtmlElement, isHtmlText, type HtmlElement, type HtmlNode } from './html-node.js';

/** Tags that start a new line when a browser renders them, so their text never runs into a neighbour's. */
export const blockLevelTags: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

export interface ElementTextOptions {
  /** Keep line breaks and indentation (for code); otherwise white space is collapsed to single spaces. */
  preserveLines?: boolean;
  /** Elements whose text is left out (a nested list read separately, a heading's permalink marker). */
  skip?: (element: HtmlElement) => boolean;
}

/** Collapses runs of white space (non-breaking spaces included) to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The text a reader sees in a node: text nodes only (comments never count), with a space
 * at the edges of block-level elements and at `<br>`, since the markup alone would glue
 * `<li><p>one</p><p>two</p></li>` into "onetwo".
 */
export function elementText(node: HtmlNode, options: ElementTextOptions = {}): string {
  const parts: string[] = [];
  const visit = (current: HtmlNode) => {
    if (isHtmlText(current)) {
      parts.push(current.data);
      return;
    }
    if (!isHtmlElement(current)) return;
    if (options.skip?.(current)) return;
    const tag = current.tagName.toLowerCase();
    if (tag === 'br') {
      parts.push('\n');
      return;
    }
    const breaks = blockLevelTags.has(tag);
    if (breaks) parts.push(options.preserveLines ? '\n' : ' ');
    for (const child of current.children) visit(child);
    if (breaks) parts.push(options.preserveLines ? '\n' : ' ');
  };
  if (isHtmlElement(node)) for (const child of node.children) visit(child);
  else visit(node);
  const text = parts.join('');
  return options.preserveLines ? tidyLines(text) : collapseWhitespace(text);
}

/** Code keeps its lines and relative indentation; trailing spaces, blank edges and common indentation go. */
function tidyLines(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  // Code pasted inside an indented template is indented as a whole; the chunker would trim the first line only.
  const indent = Math.min(...lines.filter(Boolean).map((line) => /^[ \t]*/.exec(line)![0].length));
  return lines.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

export interface TextMeasure {
  /** Characters of visible text, white space collapsed. */
  textLength: number;
  /** Of those, the characters inside links. */
  linkTextLength: number;
  /** Of the link text, the characters inside links that `isInternal` accepts (all of it without one). */
  internalLinkTextLength: number;
}

/**
 * How much text a node holds and how much of it is link text (the basis of link density);
 * with `isInternal`, also how much is the text of links it accepts by their href (links to
 * the same site, say).
 */
export function measureText(node: HtmlNode, isInternal?: (href: string) => boolean): TextMeasure {
  const measure: TextMeasure = { textLength: 0, linkTextLength: 0, internalLinkTextLength: 0 };
  const visit = (current: HtmlNode, link: 'none' | 'internal' | 'external') => {
    if (isHtmlText(current)) {
      const length = collapseWhitespace(current.data).length;
      measure.textLength += length;
      if (link !== 'none') measure.linkTextLength += length;
      if (link === 'internal') measure.internalLinkTextLength += length;
      return;
    }
    if (!isHtmlElement(current)) return;
    const href = current.tagName.toLowerCase() === 'a' ? current.attribs.href : undefined;
    const inner = link !== 'none' || href === undefined ? link : !isInternal || isInternal(href) ? 'internal' : 'external';
    for (const child of current.children) visit(child, inner);
  };
  visit(node, 'none');
  return measure;
}

/** Characters of text outside links: how much a node says in its own words. */
export function nonLinkTextLength(node: HtmlNode): number {
  const { textLength, linkTextLength } = measureText(node);
  return textLength - linkTextLength;
}

/** The share of a node's text that sits inside links: 0 for prose, near 1 for a menu. */
export function linkDensity(node: HtmlNode): number {
  const { textLength, linkTextLength } = measureText(node);
  return textLength === 0 ? 0 : linkTextLength / textLength;
}
