import { nonLinkTextLength } from './element-text.js';
import { isHtmlElement, type HtmlElement } from './html-node.js';
import type { ArticleProfile } from './article-profile.js';
import { selectWithin } from './select-within.js';

const articleSelector = 'main[role="main"] article';

/**
 * Hugo sites on the ananke theme (lethain.com, staffeng.com, infraeng.dev):
 * `main[role=main] > article` holds a header (h1 and time), a table of contents, the
 * body in `div.nested-copy-line-height`, then newsletter and pagination blocks. The body
 * is that div; without it, the article's child block holding most of its prose; without
 * one, the article. Headings carry ids, which become anchors. On a section page the article
 * holds only the section's introduction and the pages are listed after it in `main`.
 */
export const hugoAnankeProfile: ArticleProfile = {
  name: 'hugo-ananke',
  matches: ($) => $(articleSelector).length > 0,
  findTitleHeading: ($) => {
    const article = $(articleSelector)[0];
    return article ? (selectWithin($, article, 'header h1')[0] ?? selectWithin($, article, 'h1')[0] ?? null) : null;
  },
  findContent: ($) => {
    const article = $(articleSelector).first()[0];
    if (!article) return null;
    const body = selectWithin($, article, '.nested-copy-line-height')[0];
    if (body) return body;
    const children = article.children.filter(
      (child): child is HtmlElement => isHtmlElement(child) && /^(div|section)$/i.test(child.tagName),
    );
    const best = children.reduce<HtmlElement | null>(
      (chosen, child) => (!chosen || nonLinkTextLength(child) > nonLinkTextLength(chosen) ? child : chosen),
      null,
    );
    // A child holding most of the prose is the body; otherwise the text sits in the article itself.
    return best && nonLinkTextLength(best) * 2 > nonLinkTextLength(article) ? best : article;
  },
  listingScope: ($, content) => $('main[role="main"]').first()[0] ?? content,
};
