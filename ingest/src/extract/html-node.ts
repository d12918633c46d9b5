import type * as cheerio from 'cheerio';

/**
 * Any node of a parsed page. Cheerio exports no node types of its own (they come from
 * its parser, which is not our dependency), so they are derived from its API.
 */
export type HtmlNode = Parameters<typeof cheerio.contains>[0];

/** An element node: it has a tag name, attributes and children. */
export type HtmlElement = Extract<HtmlNode, { tagName: string }>;

/** A text node. */
export type HtmlText = Extract<HtmlNode, { nodeType: 3 }>;

export function isHtmlElement(node: HtmlNode | null | undefined): node is HtmlElement {
  return node != null && 'tagName' in node;
}

export function isHtmlText(node: HtmlNode | null | undefined): node is HtmlText {
  return node != null && node.nodeType === 3;
}

/** Whether `ancestor` is `node` or contains it. */
export function containsNode(ancestor: HtmlNode, node: HtmlNode): boolean {
  for (let current: HtmlNode | null = node; current; current = current.parent) {
    if (current === ancestor) return true;
  }
  return false;
}

/** Every element inside `root` (not `root` itself), in document order. */
export function descendantElements(root: HtmlElement): HtmlElement[] {
  const found: HtmlElement[] = [];
  const stack: HtmlNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isHtmlElement(node)) continue;
    found.push(node);
    for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push(node.children[index]!);
  }
  return found;
}
