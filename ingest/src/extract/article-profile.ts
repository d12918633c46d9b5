import type { CheerioAPI } from 'cheerio';
import type { HtmlElement } from './html-node.js';

export type ArticleProfileName = 'hugo-ananke' | 'larahogan' | 'generic';

/**
 * How to read one family of page layouts. A profile is chosen by the page's markup, not
 * its host, so a saved copy served from anywhere reads the same. Each method runs on a
 * page whose invisible elements are already removed.
 */
export interface ArticleProfile {
  readonly name: ArticleProfileName;
  /** Whether the page has this profile's markup. The generic profile matches every page. */
  matches($: CheerioAPI): boolean;
  /** The article's own title heading, or null when the page has none the profile recognises. */
  findTitleHeading($: CheerioAPI): HtmlElement | null;
  /** The element holding the article's body, or null when the page holds no article. */
  findContent($: CheerioAPI, titleHeading: HtmlElement | null): HtmlElement | null;
  /**
   * Where a section or index page would list other pages' titles: a single article has
   * none there, a listing has several.
   */
  listingScope($: CheerioAPI, content: HtmlElement): HtmlElement;
}
