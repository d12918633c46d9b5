import { blogPosts } from './blog-posts.js';
import { toWholeSeconds, type FixturePost } from './fixture-post.js';
import { pdfDocument } from './hostile-responses.js';
import { hugoPosts, privateDraftPost } from './hugo-posts.js';
import { renderBlogIndexPage, renderBlogPage } from './render-blog-page.js';
import { hugoSiteName, renderHugoListPage, renderHugoPage } from './render-hugo-page.js';
import type { ServedDocument } from './send-document.js';

/** The content type of every page, and of anything `setPage` adds. */
export const htmlContentType = 'text/html; charset=utf-8';

/** When the site's non-post documents last changed: fixed, so validators are stable across runs. */
export const siteBuiltAt = toWholeSeconds(Date.parse('2023-06-02T09:30:00Z'));

function page(body: string, lastModified = siteBuiltAt): ServedDocument {
  return { body, contentType: htmlContentType, lastModified };
}

function postPage(post: FixturePost, body: string): ServedDocument {
  return page(body, toWholeSeconds(Date.parse(post.publishedAt)));
}

/** The site's robots.txt: everyone may crawl but `/private/`, one request a second. */
export function robotsText(siteUrl: string): string {
  return `User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n\nSitemap: ${siteUrl}/sitemap.xml\n`;
}

/**
 * Every fixed document of a fresh site, keyed by path: the Hugo and Jekyll pages, robots.txt,
 * stylesheets and a PDF. Sitemaps, feeds and synthetic pages are built per request instead,
 * because they follow `setPage` and `removePage`.
 */
export function seedDocuments(siteUrl: string): Map<string, ServedDocument> {
  const documents = new Map<string, ServedDocument>();
  documents.set(
    '/',
    page(
      renderHugoListPage({
        siteUrl,
        path: '/',
        title: hugoSiteName,
        introduction: 'Notes on engineering leadership, strategy and infrastructure.',
        posts: hugoPosts,
      }),
    ),
  );
  documents.set(
    '/posts/',
    page(
      renderHugoListPage({
        siteUrl,
        path: '/posts/',
        title: 'Posts',
        introduction: 'Everything written here, newest first.',
        posts: hugoPosts,
      }),
    ),
  );
  documents.set(
    '/newsletter/',
    page(
      renderHugoListPage({
        siteUrl,
        path: '/newsletter/',
        title: 'Newsletter',
        introduction: 'One email when a new post goes up. Unsubscribe any time.',
        posts: [],
      }),
    ),
  );
  hugoPosts.forEach((post, index) => {
    // Newest first: the previous post is the older one.
    const body = renderHugoPage(post, { siteUrl, section: 'posts', previous: hugoPosts[index + 1], next: hugoPosts[index - 1] });
    documents.set(post.path, postPage(post, body));
  });
  documents.set(privateDraftPost.path, postPage(privateDraftPost, renderHugoPage(privateDraftPost, { siteUrl, section: 'private' })));
  documents.set('/blog/', page(renderBlogIndexPage({ siteUrl, path: '/blog/', posts: blogPosts })));
  for (const post of blogPosts) {
    const related = blogPosts.filter((other) => other !== post);
    documents.set(post.path, postPage(post, renderBlogPage(post, { siteUrl, related })));
  }
  documents.set('/robots.txt', { body: robotsText(siteUrl), contentType: 'text/plain; charset=utf-8', lastModified: siteBuiltAt });
  // Served so a rendering crawler (Chromium) finds its stylesheets instead of logging 404s.
  documents.set('/ananke/css/main.min.css', {
    body: 'body{font-family:sans-serif}\n.pb7{padding-bottom:4rem}\n',
    contentType: 'text/css; charset=utf-8',
    lastModified: siteBuiltAt,
  });
  documents.set('/public/css/hyde.css', {
    body: '.sidebar{float:left;width:18rem}\n.content{margin-left:20rem}\n',
    contentType: 'text/css; charset=utf-8',
    lastModified: siteBuiltAt,
  });
  documents.set('/file.pdf', { body: pdfDocument(), contentType: 'application/pdf', lastModified: siteBuiltAt });
  return documents;
}
