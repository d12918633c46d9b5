import { escapeMarkup } from './escape-markup.js';
import { monthNames, type FixturePost } from './fixture-post.js';

/** The short date Jekyll's Hyde theme prints, e.g. `10 Sep 2020`. */
function shortDate(isoDate: string): string {
  const date = new Date(isoDate);
  return `${date.getUTCDate()} ${monthNames[date.getUTCMonth()]!.slice(0, 3)} ${date.getUTCFullYear()}`;
}

/** The plain Jekyll layout larahogan.me uses: a sidebar of links beside a content column. */
function blogLayout(options: {
  siteUrl: string;
  path: string;
  title: string;
  description: string;
  articleHead?: string;
  content: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en-us">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1">
  <title>${escapeMarkup(options.title)} | Lara Hogan</title>
  <meta name="author" content="Lara Hogan">
  <meta name="description" content="${escapeMarkup(options.description)}">
  <link rel="canonical" href="${options.siteUrl}${options.path}">
  <link rel="stylesheet" href="/public/css/hyde.css">
  <link rel="alternate" type="application/atom+xml" title="Lara Hogan" href="/feed.xml">${options.articleHead ?? ''}
</head>
<body class="theme-base-0d">
  <div class="sidebar">
    <div class="container sidebar-sticky">
      <div class="sidebar-about">
        <h1><a href="/blog/">Lara Hogan</a></h1>
        <p class="lead">Notes on management, feedback and growing as a leader.</p>
      </div>
      <nav class="sidebar-nav">
        <a class="sidebar-nav-item" href="/blog/">Blog</a>
        <a class="sidebar-nav-item" href="/blog/giving-useful-feedback/">Feedback</a>
        <a class="sidebar-nav-item" href="/feed.xml">Feed</a>
        <a class="sidebar-nav-item" href="/">Irrational Exuberance</a>
      </nav>
      <p>&copy; 2020. All rights reserved.</p>
    </div>
  </div>
  <div class="content container">
${options.content}
  </div>
</body>
</html>
`;
}

/** One post in larahogan.me's markup: `div.post` with `h1.post-title`, `span.post-date`, `div.post-content`. */
export function renderBlogPage(post: FixturePost, options: { siteUrl: string; related: FixturePost[] }): string {
  const related = options.related
    .map(
      (other) =>
        `      <li><h3><a href="${other.path}">${escapeMarkup(other.title)} <small>${shortDate(other.publishedAt)}</small></a></h3></li>`,
    )
    .join('\n');
  const articleHead = `
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="${post.publishedAt}">`;
  const content = `    <div class="post">
      <h1 class="post-title">${escapeMarkup(post.title)}</h1>
      <span class="post-date">${shortDate(post.publishedAt)}</span>
      <div class="post-content">
${post.body.trim()}
      </div>
    </div>
    <div class="related">
      <h2>Related posts</h2>
      <ul class="related-posts">
${related}
      </ul>
    </div>`;
  return blogLayout({ siteUrl: options.siteUrl, path: post.path, title: post.title, description: post.description, articleHead, content });
}

/** The blog's index page: each post's title, date and description. */
export function renderBlogIndexPage(options: { siteUrl: string; path: string; posts: FixturePost[] }): string {
  const content = `    <div class="posts">
${options.posts
  .map(
    (post) => `      <div class="post">
        <h1 class="post-title"><a href="${post.path}">${escapeMarkup(post.title)}</a></h1>
        <span class="post-date">${shortDate(post.publishedAt)}</span>
        <p>${escapeMarkup(post.description)}</p>
      </div>`,
  )
  .join('\n')}
    </div>`;
  return blogLayout({
    siteUrl: options.siteUrl,
    path: options.path,
    title: 'Blog',
    description: 'Posts about management and leadership.',
    content,
  });
}
