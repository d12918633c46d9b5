import type { CheerioAPI } from 'cheerio';
import type { ArticleProfile } from './article-profile.js';
import { isHtmlElement } from './html-node.js';
import { selectWithin } from './select-within.js';

const contentSelector = '.post .post-content, .post .entry-content, .post .post-body';

/**
 * Jekyll sites in the Poole/Lanyon mould (larahogan.me): `div.post` holds
 * `h1.post-title`, `span.post-date` and the body in `div.post-content`; a side bar of
 * links sits beside it. A page with several posts is an index, and holds no one article.
 */
export const larahoganProfile: ArticleProfile = {
  name: 'larahogan',
  matches: ($) => $(contentSelector).length > 0,
  findTitleHeading: ($) => {
    const post = $(contentSelector).first().closest('.post').toArray().find(isHtmlElement);
    return post ? (selectWithin($, post, '.post-title')[0] ?? selectWithin($, post, 'h1')[0] ?? null) : null;
  },
  findContent: ($: CheerioAPI) => {
    const bodies = $(contentSelector);
    const posts = new Set(bodies.map((_, body) => $(body).closest('.post')[0]).get());
    return posts.size === 1 ? (bodies[0] ?? null) : null;
  },
  listingScope: (_$, content) => content,
};
