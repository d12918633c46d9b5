import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { elementText } from './element-text.js';
import { isHtmlElement } from './html-node.js';
import { removeBoilerplate } from './remove-boilerplate.js';

const prose = 'A paragraph of the article itself, long enough to be most of the content, with clauses and commas and a point to make.';

function cleaned(content: string, titleSelector?: string): string {
  const $ = cheerio.load(`<body><div id="content">${content}</div></body>`);
  const title = titleSelector ? ($(titleSelector).toArray().find(isHtmlElement) ?? null) : null;
  const root = $('#content').toArray().find(isHtmlElement)!;
  removeBoilerplate($, root, title);
  return elementText(root);
}

describe('removeBoilerplate', () => {
  it.each([
    ['navigation', '<nav><a href="/">Home</a></nav>'],
    ['an aside', '<aside>Related reading</aside>'],
    ['a footer', '<footer>Posted in Leadership</footer>'],
    ['a header without the title', '<header>Site name</header>'],
    ['a table of contents', '<div id="TableOfContents"><ul><li><a href="#a">Section</a></li></ul></div>'],
    ['a comment section', '<section id="comments"><p>Great post!</p></section>'],
    ['a share block', '<div class="social-share"><a href="https://x.com/share">Share</a></div>'],
    ['a newsletter form', '<form action="/subscribe"><p>Get new posts by email.</p></form>'],
    ['a newsletter promotion', '<div class="newsletter-signup"><p>Subscribe for weekly essays.</p></div>'],
    [
      'a tag list',
      '<ul class="pa0"><li><a href="/tags/management">MANAGEMENT</a></li><li><a href="/categories/hiring">HIRING</a></li></ul>',
    ],
    [
      'previous and next links marked by arrows',
      '<div class="mt6">&lt;&lt; <a href="/a/">Older title</a> <a href="/b/">Newer title</a> &gt;&gt;</div>',
    ],
    ['previous and next links marked by words', '<p><a href="/a/">← Previous post</a> | <a href="/b/">Next post →</a></p>'],
    [
      "a book's next and previous chapter",
      '<p class="f5"><span class="b">Next chapter: </span> <a href="/guides/a/">Title A</a></p><p><span>Previous chapter: </span><a href="/guides/b/">Title B</a></p>',
    ],
    ['a heading permalink marker', '<h2 id="x">Section <a href="#x">#</a></h2>'],
  ])('removes %s', (_name, html) => {
    expect(cleaned(`<p>${prose}</p>${html}`)).toBe(prose + (html.startsWith('<h2') ? ' Section' : ''));
  });

  it('keeps a paragraph that is one link, and prose that mentions what comes next', () => {
    const html = `<p>${prose}</p><p><a href="/rfc/">Read the RFC</a></p><p>Next, read <a href="/rfc/">the RFC</a>.</p>`;
    expect(cleaned(html)).toBe(`${prose} Read the RFC Next, read the RFC.`);
  });

  it('keeps a list of links that are not tags', () => {
    expect(cleaned(`<p>${prose}</p><ul><li><a href="/staff-archetypes/">Staff archetypes</a></li></ul>`)).toBe(`${prose} Staff archetypes`);
  });

  it('replaces a header that holds the title heading with the heading', () => {
    expect(cleaned(`<header><span class="kicker">POSTS</span><h1>The title</h1><time>June 2</time></header><p>${prose}</p>`, 'h1')).toBe(
      `The title ${prose}`,
    );
  });

  it('keeps an element guessed as boilerplate by its class when it wraps most of the content', () => {
    expect(cleaned(`<div class="content-sidebar-wrap"><p>${prose}</p><p>${prose}</p></div><div class="sidebar">Links</div>`)).toBe(
      `${prose} ${prose}`,
    );
  });

  it('keeps a form that wraps the whole page, as ASP.NET pages do', () => {
    expect(cleaned(`<form id="aspnetForm"><p>${prose}</p></form>`)).toBe(prose);
  });

  it('removes a comment section even when it is longer than the article', () => {
    expect(cleaned(`<p>${prose}</p><div class="comment-thread"><p>${prose}</p><p>${prose}</p></div>`)).toBe(prose);
  });

  it('removes the line numbers of highlighted code', () => {
    const code =
      '<div class="highlight"><pre class="chroma"><code><span class="line"><span class="ln">1</span><span class="cl">x = 1</span></span></code></pre></div>';
    expect(cleaned(`<p>${prose}</p>${code}`)).toBe(`${prose} x = 1`);
  });
});
