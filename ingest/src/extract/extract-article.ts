import { withoutInvisibleCharacters } from './hidden-characters.js';
import { cheerio } from './load-cheerio.js';
import type { DocumentOutline, OutlineBlock } from '../outline.js';
import type { ArticleProfileName } from './article-profile.js';
import { chooseArticleProfile } from './choose-article-profile.js';
import { collectLinks, documentBaseUrl } from './collect-links.js';
import { collapseWhitespace, elementText, measureText } from './element-text.js';
import { ExtractionError, readWithinDepth } from './extraction-error.js';
import { containsNode } from './html-node.js';
import { looksLikeListing } from './looks-like-listing.js';
import { headingAnchor, readBlocks } from './read-blocks.js';
import { readLinkedData } from './read-linked-data.js';
import { readPageMetadata } from './read-page-metadata.js';
import { isPermalinkMarker, removeBoilerplate } from './remove-boilerplate.js';
import { removeConcealedElements } from './remove-concealed-elements.js';
import { removeInvisibleElements } from './remove-invisible-elements.js';

export { ExtractionError } from './extraction-error.js';

/** What the crawler gets from one fetched article page. */
export interface ExtractedPage {
  /** Title, author, date, canonical URL, kind 'article', topics and the content's blocks. */
  outline: DocumentOutline;
  /** Absolute, without fragment: `<link rel="canonical">` resolved against the page, else the page's URL. */
  canonicalUrl: string;
  /** Distinct absolute http(s) URLs linked from the article's content (no menus, side bars or pagination), for link discovery. */
  links: string[];
  /** Which profile read the page. */
  profile: ArticleProfileName;
}

/** Fewer characters outside links than this is no article (an empty body, a page of links). */
const minimumArticleText = 50;
/**
 * Content whose text is more than this share links to other pages of the same site is a
 * listing of the site (an index, an archive, a table of contents), not prose.
 */
const maximumInternalLinkDensity = 0.5;
/**
 * Content whose text is more than this share links of any kind is a list of links. Between
 * the two, a page of links to other sites with words of its own around them (a curated
 * reading list: headings, an introduction, "by Tanya Reilly" after each title) is kept: a
 * leader asking what to read is answered by it.
 */
const maximumLinkDensity = 0.8;

function sameText(left: string, right: string): boolean {
  return collapseWhitespace(left).toLowerCase() === collapseWhitespace(right).toLowerCase();
}

/** The outline with invisible characters taken out of every text it carries; blocks left empty go. */
function stripInvisibleCharacters(outline: DocumentOutline): DocumentOutline {
  const blocks = outline.blocks
    .map((block) => ({ ...block, text: withoutInvisibleCharacters(block.text) }))
    .filter((block) => block.text.trim() !== '');
  const author = outline.author === null ? null : withoutInvisibleCharacters(outline.author) || null;
  return {
    ...outline,
    title: withoutInvisibleCharacters(outline.title),
    author,
    topics: outline.topics.map(withoutInvisibleCharacters).filter(Boolean),
    blocks,
  };
}

/**
 * Extracts the article from a fetched HTML page. Pure: no I/O, and the same input gives
 * the same output.
 *
 * Steps: read JSON-LD; remove everything a reader does not see (scripts, styles, comments,
 * elements hidden by attributes, inline styles or the page's style sheets, invisible
 * characters), so hidden instructions never reach an outline; choose a profile by the
 * page's markup (`hugo-ananke`, `larahogan`, else `generic`); read the metadata; find
 * the content element; remove its boilerplate; read its blocks in document order. The
 * article's title heading is the first, level-1 heading: read in place when it is inside
 * the content, put first when it is outside and reads the same as the title.
 *
 * @param pageUrl the absolute http(s) URL the page was fetched from; relative links and
 *   a relative canonical link resolve against it (or against the page's `<base href>`).
 * @throws ExtractionError when the page holds no article: no content element, a listing
 *   of other pages, fewer than 50 characters of text outside links, or mostly links.
 * @throws TypeError when `pageUrl` is not an absolute http(s) URL.
 */
export function extractArticle(html: string, pageUrl: string): ExtractedPage {
  return readWithinDepth(
    html,
    () => extractArticleUnguarded(html, pageUrl),
    () => new ExtractionError(pageUrl, 'the page nests its elements too deeply to read'),
  );
}

function extractArticleUnguarded(html: string, pageUrl: string): ExtractedPage {
  if (!URL.canParse(pageUrl) || !/^https?:$/.test(new URL(pageUrl).protocol)) {
    throw new TypeError(`extractArticle needs the absolute http(s) URL the page was fetched from, got ${JSON.stringify(pageUrl)}`);
  }
  const $ = cheerio().load(html);
  const linkedData = readLinkedData($);
  removeConcealedElements($);
  removeInvisibleElements($);
  const profile = chooseArticleProfile($);
  const titleHeading = profile.findTitleHeading($);
  const baseUrl = documentBaseUrl($, pageUrl);
  const metadata = readPageMetadata($, { pageUrl, baseUrl, titleHeading, linkedData });

  const content = profile.findContent($, titleHeading);
  if (!content) throw new ExtractionError(pageUrl, `no article content found by the ${profile.name} profile`);
  removeBoilerplate($, content, titleHeading);
  const listingScope = profile.listingScope($, content);
  if (looksLikeListing($, listingScope, baseUrl, pageUrl)) {
    // The listed pages are worth discovering even though this page is not worth storing.
    throw new ExtractionError(pageUrl, 'the page lists other pages rather than holding an article', {
      links: collectLinks($, listingScope, baseUrl, pageUrl),
    });
  }
  const links = collectLinks($, content, baseUrl, pageUrl);

  const blocks: OutlineBlock[] = readBlocks(content, { titleHeading });
  const title = metadata.title ?? blocks.find((block) => block.kind === 'heading')?.text ?? null;
  if (!title) throw new ExtractionError(pageUrl, 'the page has no title (no og:title, title heading or <title>)');
  if (titleHeading && !containsNode(content, titleHeading)) {
    const text = elementText(titleHeading, { skip: isPermalinkMarker });
    const alreadyRead = blocks.some((block) => block.kind === 'heading' && block.level === 1 && sameText(block.text, text));
    if (text && sameText(text, title) && !alreadyRead)
      blocks.unshift({ kind: 'heading', level: 1, text, anchor: headingAnchor(titleHeading, text) });
  }

  // The site's own hosts: where the page was fetched from, its base and its canonical URL (a
  // mirror's pages link to the public site), with or without "www.", their subdomains and the
  // domains they are subdomains of (blog.example.com's archive linking to example.com), over
  // either scheme.
  const siteHost = (url: URL) => url.hostname.replace(/^www\./, '');
  const siteHosts = [...new Set([pageUrl, baseUrl, metadata.canonicalUrl].map((url) => siteHost(new URL(url))))];
  const sameSite = (host: string) =>
    siteHosts.some((site) => host === site || host.endsWith(`.${site}`) || (site.endsWith(`.${host}`) && host.includes('.')));
  const isInternal = (href: string) => {
    try {
      const target = new URL(href, baseUrl);
      return /^https?:$/.test(target.protocol) && sameSite(siteHost(target));
    } catch {
      return false;
    }
  };
  const { textLength, linkTextLength, internalLinkTextLength } = measureText(content, isInternal);
  if (!blocks.some((block) => block.kind === 'text') || textLength - linkTextLength < minimumArticleText) {
    throw new ExtractionError(pageUrl, 'the page has no article text', { links });
  }
  const share = (length: number) => `${Math.round((100 * length) / textLength)}% of its text`;
  if (internalLinkTextLength / textLength > maximumInternalLinkDensity) {
    throw new ExtractionError(
      pageUrl,
      `the page is mostly links to the site's other pages (${share(internalLinkTextLength)}), not an article`,
      {
        links,
      },
    );
  }
  if (linkTextLength / textLength > maximumLinkDensity) {
    throw new ExtractionError(pageUrl, `the page is mostly links (${share(linkTextLength)}), not an article`, { links });
  }

  return {
    outline: stripInvisibleCharacters({
      title,
      author: metadata.author,
      publishedAt: metadata.publishedAt,
      url: metadata.canonicalUrl,
      kind: 'article',
      topics: metadata.topics,
      frameworks: [],
      blocks,
    }),
    canonicalUrl: metadata.canonicalUrl,
    links,
    profile: profile.name,
  };
}
