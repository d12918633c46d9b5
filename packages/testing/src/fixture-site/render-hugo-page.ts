import { escapeMarkup } from './escape-markup.js';
import { monthNames, sectionHeadings, withoutTrailingSlash, type FixturePost, type PostLink } from './fixture-post.js';

/** The site name Hugo appends to every `<title>`, as the ananke theme does. */
export const hugoSiteName = 'Irrational Exuberance';

/** The long date ananke prints under a post's title, e.g. `May 1, 2023`. */
function longDate(isoDate: string): string {
  const date = new Date(isoDate);
  return `${monthNames[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}

interface LayoutOptions {
  siteUrl: string;
  path: string;
  title: string;
  description: string;
  /** Extra `<head>` tags for articles (author, dates, Open Graph type). */
  articleHead?: string;
  main: string;
}

/** The ananke shell: a black header with the site menu, `<main class="pb7">`, and a footer. */
function hugoLayout({ siteUrl, path, title, description, articleHead = '', main }: LayoutOptions): string {
  const canonical = `${siteUrl}${path}`;
  return `<!DOCTYPE html>
<html lang="en-us">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
    <title>${escapeMarkup(title)} | ${hugoSiteName}</title>
    <meta name="viewport" content="width=device-width,minimum-scale=1">
    <meta name="description" content="${escapeMarkup(description)}">
    <meta name="generator" content="Hugo 0.111.3">
    <meta name="robots" content="index, follow">
    <link rel="stylesheet" href="/ananke/css/main.min.css">
    <link rel="canonical" href="${canonical}">
    <link href="/index.xml" rel="alternate" type="application/rss+xml" title="${hugoSiteName}">
    <meta property="og:title" content="${escapeMarkup(title)}">
    <meta property="og:description" content="${escapeMarkup(description)}">
    <meta property="og:url" content="${canonical}">${articleHead}
  </head>
  <body class="ma0 avenir bg-near-white production">
    <header>
      <div class="bg-black">
        <nav class="pv3 ph3 ph4-ns" role="navigation">
          <div class="flex-l justify-between items-center center">
            <a href="/" class="f3 fw2 hover-white no-underline white-90 dib">${hugoSiteName}</a>
            <div class="flex-l items-center">
              <ul class="pl0 mr3">
                <li class="list f5 f4-ns fw4 dib pr3"><a class="hover-white no-underline white-90" href="/posts" title="Posts page">Posts</a></li>
                <li class="list f5 f4-ns fw4 dib pr3"><a class="hover-white no-underline white-90" href="/blog/" title="Guest posts">Guest posts</a></li>
                <li class="list f5 f4-ns fw4 dib pr3"><a class="hover-white no-underline white-90" href="/newsletter" title="Newsletter page">Newsletter</a></li>
              </ul>
            </div>
          </div>
        </nav>
      </div>
    </header>
    <main class="pb7" role="main">
${main}
    </main>
    <footer class="bg-black bottom-0 w-100 pa3" role="contentinfo">
      <div class="flex justify-between">
        <a class="f4 fw4 hover-white no-underline white-70 dn dib-ns pv2 ph3" href="/">&copy; ${hugoSiteName} 2023</a>
        <a class="f6 white-70 pv2 ph3" href="/index.xml">RSS</a>
        <a class="f6 white-70 pv2 ph3" href="/private/secret/">Drafts</a>
      </div>
    </footer>
  </body>
</html>
`;
}

/** Where a post sits in its section, for ananke's previous and next links. */
export interface HugoPageOptions {
  siteUrl: string;
  /** Hugo's `article:section`, the content folder: `posts`, or `bench` for synthetic pages. */
  section: string;
  previous?: PostLink;
  next?: PostLink;
}

/** A single post as Hugo's ananke theme renders it (staffeng.com, lethain.com, infraeng.dev). */
export function renderHugoPage(post: FixturePost, { siteUrl, section, previous, next }: HugoPageOptions): string {
  const tableOfContents = sectionHeadings(post.body)
    .map(({ id, heading }) => `            <li><a href="#${id}">${heading}</a></li>`)
    .join('\n');
  // Hand-written Markdown links on these sites usually drop the trailing slash.
  const neighbourLink = (link: PostLink | undefined, direction: 'previous' | 'next') =>
    link
      ? `<a class="${direction} link" href="${withoutTrailingSlash(link.path)}">${direction === 'previous' ? '&larr; ' : ''}${escapeMarkup(link.title)}${direction === 'next' ? ' &rarr;' : ''}</a>`
      : '';
  const articleHead = `
    <meta name="author" content="${escapeMarkup(post.author)}">
    <meta property="og:type" content="article">
    <meta property="article:section" content="${section}">
    <meta property="article:published_time" content="${post.publishedAt}">
    <meta property="article:modified_time" content="${post.publishedAt}">`;
  const main = `      <article class="flex-l flex-wrap justify-between mw8 center ph3">
        <header class="mt4 w-100">
          <h1 class="f1 athelas mt3 mb1">${escapeMarkup(post.title)}</h1>
          <p class="tracked">By <strong>${escapeMarkup(post.author)}</strong></p>
          <time class="f6 mv4 dib tracked" datetime="${post.publishedAt}">${longDate(post.publishedAt)}</time>
        </header>
        <aside class="w-30-l mt6-l toc">
          <h3>Contents</h3>
          <nav id="TableOfContents">
            <ul>
${tableOfContents}
            </ul>
          </nav>
        </aside>
        <div class="nested-copy-line-height lh-copy serif f4 nested-links mid-gray pr4-l w-two-thirds-l">
${post.body.trim()}
        </div>
        <div class="newsletter-promo bg-light-gray pa3 mv4">
          <p>Enjoyed this? <a href="/newsletter">Get new posts by email</a>, about one a week, no tracking pixels.</p>
        </div>
        <nav class="pagination w-100 flex justify-between mv4">
          ${neighbourLink(previous, 'previous')}
          ${neighbourLink(next, 'next')}
        </nav>
      </article>`;
  return hugoLayout({ siteUrl, path: post.path, title: post.title, description: post.description, articleHead, main });
}

/** A Hugo list page (home, section index, a plain page): an introduction and post summaries. */
export function renderHugoListPage(options: {
  siteUrl: string;
  path: string;
  title: string;
  introduction: string;
  posts: FixturePost[];
}): string {
  const summaries = options.posts
    .map(
      (post) => `        <div class="relative w-100 mb4 bg-white nested-copy-line-height">
          <h2 class="f3 near-black"><a href="${post.path}" class="link black dim">${escapeMarkup(post.title)}</a></h2>
          <time class="f6 db" datetime="${post.publishedAt}">${longDate(post.publishedAt)}</time>
          <div class="nested-links f5 lh-copy nested-copy-line-height">${escapeMarkup(post.description)}</div>
          <a href="${post.path}" class="ba b--moon-gray bg-light-gray br2 color-inherit dib f7 hover-bg-moon-gray link mt2 ph2 pv1">read more</a>
        </div>`,
    )
    .join('\n');
  const main = `      <div class="flex-l mt2 mw8 center">
        <article class="center cf pv5 ph3 ph4-ns mw7">
          <header><h1 class="f1">${escapeMarkup(options.title)}</h1></header>
          <div class="nested-copy-line-height lh-copy f4 nested-links mid-gray">
            <p>${escapeMarkup(options.introduction)}</p>
          </div>
        </article>
      </div>
      <section class="w-100 mw8 center">
${summaries}
      </section>`;
  return hugoLayout({ siteUrl: options.siteUrl, path: options.path, title: options.title, description: options.introduction, main });
}
