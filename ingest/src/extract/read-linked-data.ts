import type { CheerioAPI } from 'cheerio';

/** One object of a page's JSON-LD (schema.org) data, as parsed. */
export type LinkedDataNode = Record<string, unknown>;

function isObject(value: unknown): value is LinkedDataNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every object in a JSON-LD value, depth first: top-level arrays and `@graph` lists are flattened. */
function flatten(value: unknown, into: LinkedDataNode[], depth = 0): void {
  if (depth > 8) return;
  if (Array.isArray(value)) {
    for (const item of value) flatten(item, into, depth + 1);
    return;
  }
  if (!isObject(value)) return;
  into.push(value);
  if ('@graph' in value) flatten(value['@graph'], into, depth + 1);
}

/**
 * The objects of a page's `<script type="application/ld+json">` blocks. Read before
 * scripts are removed. A block that is not valid JSON is skipped: a theme's broken
 * markup must not make an article unreadable.
 */
export function readLinkedData($: CheerioAPI): LinkedDataNode[] {
  const nodes: LinkedDataNode[] = [];
  $('script[type]').each((_, script) => {
    if ((script.attribs.type ?? '').trim().toLowerCase() !== 'application/ld+json') return;
    try {
      flatten(JSON.parse($(script).text()), nodes);
    } catch {
      // Not JSON: ignored, see above.
    }
  });
  return nodes;
}

const articleTypes = /article|posting|webpage|report/i;

function typesOf(node: LinkedDataNode): string[] {
  const type = node['@type'];
  return (Array.isArray(type) ? type : [type]).filter((value): value is string => typeof value === 'string');
}

/** A field of the node that describes the article: the first node of an article-like `@type` that has it, else the first that has it. */
export function linkedDataField(nodes: readonly LinkedDataNode[], field: string): unknown {
  const withField = nodes.filter((node) => node[field] !== undefined && node[field] !== null);
  const article = withField.find((node) => typesOf(node).some((type) => articleTypes.test(type)));
  return (article ?? withField[0])?.[field];
}

/** The names in a schema.org `author` value: a string, a Person or Organization, or a list of them. */
export function linkedDataNames(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values
    .map((item) => (typeof item === 'string' ? item : isObject(item) && typeof item.name === 'string' ? item.name : ''))
    .map((name) => name.trim())
    .filter(Boolean);
}
