import { CairnError } from '@cairn/core';

/**
 * A page holds no article this extractor can read: an index or section page that lists
 * other pages, a page of links, an empty body (code `page_unparseable`). Retrying can not
 * help, so the crawler records the page as unparseable and moves on.
 */
export class ExtractionError extends CairnError {
  /** The URL the page was fetched from. */
  readonly pageUrl: string;
  /** Why no article was read, e.g. "the page lists other pages rather than holding an article". */
  readonly reason: string;
  /**
   * Links found in what the page holds instead of an article (an index page's list),
   * for a crawler that still wants to discover pages through it; often empty.
   */
  readonly links: string[];

  constructor(pageUrl: string, reason: string, options: { links?: string[] } = {}) {
    super(
      'page_unparseable',
      `${pageUrl}: ${reason}. The page is skipped as unparseable; if it is an article, add a profile for its markup in ingest/src/extract.`,
      { details: { pageUrl, reason } },
    );
    this.name = 'ExtractionError';
    this.pageUrl = pageUrl;
    this.reason = reason;
    this.links = options.links ?? [];
  }
}

/** Whether an error is the stack overflow of a walk over a document nested deeper than the engine's stack allows. */
function stackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /maximum call stack size exceeded/i.test(error.message);
}

/**
 * Reads a document unless it nests too deeply to read (tens of thousands of unclosed
 * blockquotes in a few hundred KB): refused before the read when its tags say so
 * (nestsTooDeeply), and a stack overflow in the read is the same refusal. Either way the
 * document's fault, `unreadable()`, not the run's (probe 33 M1).
 */
export function readWithinDepth<T>(source: string, read: () => T, unreadable: () => Error): T {
  if (nestsTooDeeply(source)) throw unreadable();
  try {
    return read();
  } catch (error) {
    if (stackOverflow(error)) throw unreadable();
    throw error;
  }
}

/** Elements that must be closed: each start tag left open takes a level of nesting (optional-end and void tags do not). */
const containerTag =
  /<(\/?)(?:div|blockquote|section|article|aside|main|nav|header|footer|span|ul|ol|dl|table|font|b|i|u|em|strong|a|center|small|big|code|pre|form|fieldset|details|figure|q|s|sub|sup|mark|label|button|svg|g)\b[^>]*>/gi;

/** Deeper than any page written for people (the walks overflow near 10,000): refused before parsing, which is quadratic in it. */
export const maxNestingDepth = 2000;

/**
 * Whether a document opens container elements deeper than `maxNestingDepth` (counted from
 * its tags in one pass, before the parser spends seconds on it), or a markdown line opens
 * that many block quotes. Such a document is unreadable (probe 33 M1).
 */
export function nestsTooDeeply(source: string): boolean {
  let depth = 0;
  for (const match of source.matchAll(containerTag)) {
    depth += match[1] ? -1 : 1;
    if (depth > maxNestingDepth) return true;
    if (depth < 0) depth = 0;
  }
  return new RegExp(`^(?:\\s*>){${maxNestingDepth + 1}}`, 'm').test(source);
}
