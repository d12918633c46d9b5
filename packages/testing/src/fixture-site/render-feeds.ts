import { escapeMarkup } from './escape-markup.js';
import type { FixturePost } from './fixture-post.js';

/** RFC 822 dates as Hugo writes them in RSS: `Mon, 01 May 2023 00:00:00 +0000`. */
function rssDate(isoDate: string): string {
  return new Date(isoDate).toUTCString().replace('GMT', '+0000');
}

/** An RSS 2.0 feed shaped like Hugo's `index.xml`. */
export function renderRssFeed(options: { siteUrl: string; title: string; posts: FixturePost[] }): string {
  const { siteUrl, posts } = options;
  const items = posts
    .map(
      (post) => `    <item>
      <title>${escapeMarkup(post.title)}</title>
      <link>${siteUrl}${post.path}</link>
      <pubDate>${rssDate(post.publishedAt)}</pubDate>
      <guid>${siteUrl}${post.path}</guid>
      <description>${escapeMarkup(post.description)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeMarkup(options.title)}</title>
    <link>${siteUrl}/</link>
    <description>Recent content on ${escapeMarkup(options.title)}</description>
    <generator>Hugo -- gohugo.io</generator>
    <language>en-us</language>
    <lastBuildDate>${posts[0] ? rssDate(posts[0].publishedAt) : ''}</lastBuildDate>
    <atom:link href="${siteUrl}/index.xml" rel="self" type="application/rss+xml" />
${items}
  </channel>
</rss>
`;
}

/** An Atom feed shaped like jekyll-feed's `feed.xml` (larahogan.me). */
export function renderAtomFeed(options: { siteUrl: string; title: string; posts: FixturePost[] }): string {
  const { siteUrl, posts } = options;
  const entries = posts
    .map(
      (post) => `  <entry>
    <title type="html">${escapeMarkup(post.title)}</title>
    <link href="${siteUrl}${post.path}" rel="alternate" type="text/html" title="${escapeMarkup(post.title)}" />
    <published>${post.publishedAt}</published>
    <updated>${post.publishedAt}</updated>
    <id>${siteUrl}${post.path}</id>
    <content type="html" xml:base="${siteUrl}${post.path}">${escapeMarkup(post.body.trim())}</content>
    <author><name>${escapeMarkup(post.author)}</name></author>
    <summary type="html">${escapeMarkup(post.description)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <generator uri="https://jekyllrb.com/" version="4.3.2">Jekyll</generator>
  <link href="${siteUrl}/feed.xml" rel="self" type="application/atom+xml" />
  <link href="${siteUrl}/blog/" rel="alternate" type="text/html" />
  <updated>${posts[0]?.publishedAt ?? ''}</updated>
  <id>${siteUrl}/feed.xml</id>
  <title type="html">${escapeMarkup(options.title)}</title>
${entries}
</feed>
`;
}
