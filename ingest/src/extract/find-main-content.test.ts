import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { findMainContent } from './find-main-content.js';

const prose = (topic: string) =>
  `<p>A paragraph about ${topic}, written as prose, with several clauses, some commas, and enough words to count as a real paragraph of an article.</p>`;
const article = [prose('planning'), prose('staffing'), prose('reviews'), prose('budgets')].join('');

function contentId(body: string): string | undefined {
  const $ = cheerio.load(`<html><body>${body}</body></html>`);
  return findMainContent($)?.attribs.id;
}

describe('findMainContent', () => {
  it('prefers the one <article>', () => {
    expect(contentId(`<div id="page"><article id="post">${article}</article><div id="other">${prose('other')}</div></div>`)).toBe('post');
  });

  it('prefers <main> when there is no article', () => {
    expect(contentId(`<div id="page"><main id="main">${article}</main></div>`)).toBe('main');
    expect(contentId(`<div id="page"><div role="main" id="main">${article}</div></div>`)).toBe('main');
  });

  it('passes over a semantic container that holds too little text', () => {
    expect(contentId(`<main id="main"><p>Short.</p></main><div id="body-text">${article}</div>`)).toBe('body-text');
  });

  it('picks the container of the prose over a side bar full of links', () => {
    const sidebar = `<div id="links">${Array.from({ length: 20 }, (_, index) => `<p><a href="/post-${index}/">A long title of another post on this blog, number ${index}</a></p>`).join('')}</div>`;
    expect(contentId(`${sidebar}<div id="s1">${article}</div>`)).toBe('s1');
  });

  it('ignores a comment section longer than the article', () => {
    const comments = `<div id="comments">${Array.from({ length: 8 }, (_, index) => prose(`comment ${index}`)).join('')}</div>`;
    expect(contentId(`<div id="c1">${prose('one thing')}${prose('another')}</div>${comments}`)).toBe('c1');
  });

  it('ignores a side bar with prose, a header and a footer', () => {
    const body = `<div id="header">${prose('the site')}</div><div id="sidebar">${prose('the author')}${prose('the author again')}</div><div id="col2">${prose('the point')}${prose('the proof')}</div><div id="footer">${prose('copyright')}${prose('licence')}</div>`;
    expect(contentId(body)).toBe('col2');
  });

  it('still finds the article when the whole page is wrapped in a side-bar layout class', () => {
    expect(contentId(`<div class="page-with-sidebar"><div id="w1">${article}</div></div>`)).toBe('w1');
  });

  it('reads old pages whose text sits loose in a div between <br>s', () => {
    const loose = 'An old post written straight into a div, with commas, clauses, and line breaks instead of paragraphs.<br><br>';
    expect(contentId(`<div id="menu-bar"><a href="/">Home</a></div><div id="outer"><div id="entry">${loose.repeat(5)}</div></div>`)).toBe(
      'outer',
    );
  });

  it('is null for a page without paragraphs', () => {
    expect(contentId('<nav><a href="/">Home</a></nav>')).toBeUndefined();
    expect(contentId('')).toBeUndefined();
  });
});
