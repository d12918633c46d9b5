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
