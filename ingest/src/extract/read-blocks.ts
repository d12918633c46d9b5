import type { OutlineBlock } from '../outline.js';
import { blockLevelTags, collapseWhitespace, elementText } from './element-text.js';
import { isHtmlElement, isHtmlText, type HtmlElement, type HtmlNode } from './html-node.js';
import { isPermalinkMarker } from './remove-boilerplate.js';
import { slugify } from './slugify.js';

export interface ReadBlocksOptions {
  /** The article's own title heading: read as a level-1 heading whatever its tag (`h2.entry-title`). */
  titleHeading?: HtmlElement | null;
}

const headingTag = /^h([1-6])$/;
// Read whole: their text is one block, and blocks nested in them are read with them.
const textBlockTags = new Set(['p', 'blockquote', 'dt', 'dd', 'figcaption', 'caption', 'address', 'summary']);
const listTags = new Set(['ul', 'ol', 'menu']);
// A table whose cells hold these is laid out with a table, not a table of data.
const layoutTags = new Set([
  'table',
  'div',
  'pre',
  'ul',
  'ol',
  'dl',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'section',
  'article',
]);

function isList(element: HtmlElement): boolean {
  return listTags.has(element.tagName.toLowerCase());
}

/** A heading's anchor: its id, else the id or name of an anchor inside it, else a slug of its text. */
export function headingAnchor(heading: HtmlElement, text: string): string | null {
  const own = heading.attribs.id?.trim();
  if (own) return own;
  const stack: HtmlNode[] = [...heading.children];
  while (stack.length > 0) {
    const node = stack.shift()!;
    if (!isHtmlElement(node)) continue;
    const inner = (node.attribs.id ?? (node.tagName.toLowerCase() === 'a' ? node.attribs.name : undefined))?.trim();
    if (inner) return inner;
    stack.push(...node.children);
  }
  return slugify(text) || null;
}

/** The lists directly inside a list item (not those nested deeper in another list). */
function nestedLists(item: HtmlElement): HtmlElement[] {
  const lists: HtmlElement[] = [];
  const visit = (node: HtmlElement) => {
    for (const child of node.children) {
      if (!isHtmlElement(child)) continue;
      if (isList(child)) lists.push(child);
      else visit(child);
    }
  };
  visit(item);
  return lists;
}

/** The rows of a table, its own only (not those of a table nested in a cell). */
function tableRows(table: HtmlElement): HtmlElement[] {
  const rows: HtmlElement[] = [];
  for (const child of table.children) {
    if (!isHtmlElement(child)) continue;
    const tag = child.tagName.toLowerCase();
    if (tag === 'tr') rows.push(child);
    else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot') rows.push(...tableRows(child));
  }
  return rows;
}

function rowCells(row: HtmlElement): HtmlElement[] {
  return row.children.filter((cell): cell is HtmlElement => isHtmlElement(cell) && /^t[dh]$/i.test(cell.tagName));
}

function isLayoutCell(cell: HtmlElement): boolean {
  let paragraphs = 0;
  const visit = (node: HtmlElement): boolean =>
    node.children.some((child) => {
      if (!isHtmlElement(child)) return false;
      const tag = child.tagName.toLowerCase();
      if (layoutTags.has(tag)) return true;
      if (tag === 'p') paragraphs += 1;
      return paragraphs > 1 || visit(child);
    });
  return visit(cell);
}

/**
 * Reads an article's content into outline blocks, in document order: headings (level,
 * text, anchor), paragraphs, list items (prefixed "- "; a nested list's items follow
 * their parent's), block quotes, code (lines and indentation kept), one block per table
 * row (cells joined by " | "), definition terms and descriptions, captions, and the
 * loose text of old-style pages (`text<br><br>text`) as paragraphs. A block nested in
 * another (a p inside an li) is read once, with its parent; white space is collapsed.
 */
export function readBlocks(content: HtmlElement, options: ReadBlocksOptions = {}): OutlineBlock[] {
  const titleHeading = options.titleHeading ?? null;
  const blocks: OutlineBlock[] = [];
  let loose: string[] = [];

  const pushText = (text: string) => {
    if (text) blocks.push({ kind: 'text', text });
  };
  // Text outside any block: a blank line (two <br>) separates paragraphs, as it does on screen.
  const flush = () => {
    const paragraphs = loose.join('').split(/\n[ \t]*\n/);
    loose = [];
    for (const paragraph of paragraphs) pushText(collapseWhitespace(paragraph));
  };
  const pushHeading = (heading: HtmlElement, level: number) => {
    const text = elementText(heading, { skip: isPermalinkMarker });
    if (text) blocks.push({ kind: 'heading', level, text, anchor: headingAnchor(heading, text) });
  };
  const readListItem = (item: HtmlElement) => {
    const text = elementText(item, { skip: (element) => isList(element) || isPermalinkMarker(element) });
    if (text) pushText(`- ${text}`);
    for (const list of nestedLists(item)) walk(list);
  };
  const readTable = (table: HtmlElement) => {
    const rows = tableRows(table);
    const caption = table.children.find((child): child is HtmlElement => isHtmlElement(child) && child.tagName.toLowerCase() === 'caption');
    if (caption) pushText(elementText(caption));
    if (rows.some((row) => rowCells(row).some(isLayoutCell))) {
      for (const cell of rows.flatMap(rowCells)) {
        walk(cell);
        flush();
      }
      return;
    }
    for (const row of rows) {
      const cells = rowCells(row).map((cell) => elementText(cell));
      if (cells.some(Boolean)) pushText(cells.join(' | ').trim());
    }
  };

  const walk = (node: HtmlElement) => {
    for (const child of node.children) {
      if (isHtmlText(child)) {
        loose.push(child.data.replace(/\s+/g, ' '));
        continue;
      }
      if (!isHtmlElement(child)) continue;
      const tag = child.tagName.toLowerCase();
      const headingLevel = child === titleHeading ? 1 : Number(headingTag.exec(tag)?.[1] ?? 0);
      if (headingLevel > 0) {
        flush();
        pushHeading(child, headingLevel);
      } else if (tag === 'br') {
        loose.push('\n');
      } else if (tag === 'pre') {
        flush();
        pushText(elementText(child, { preserveLines: true }));
      } else if (tag === 'li') {
        flush();
        readListItem(child);
      } else if (tag === 'table') {
        flush();
        readTable(child);
      } else if (textBlockTags.has(tag)) {
        flush();
        pushText(elementText(child, { skip: isPermalinkMarker }));
      } else if (blockLevelTags.has(tag)) {
        flush();
        walk(child);
        flush();
      } else {
        // Inline markup (a, em, code, span): its text joins the paragraph around it.
        walk(child);
      }
    }
  };

  walk(content);
  flush();
  return blocks;
}
