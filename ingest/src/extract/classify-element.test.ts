import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { classifyElement, classWords } from './classify-element.js';
import { isHtmlElement } from './html-node.js';

function firstElement(html: string) {
  return cheerio.load(html, null, false)('*').toArray().find(isHtmlElement)!;
}

const classify = (html: string) => classifyElement(firstElement(html));

describe('classifyElement', () => {
  it('splits class and id into words, camel case included', () => {
    expect(classWords(firstElement('<div id="TableOfContents" class="post-meta side_bar"></div>'))).toEqual([
      'post',
      'meta',
      'side',
      'bar',
      'table',
      'of',
      'contents',
    ]);
  });

  it.each([
    ['<div id="comments"></div>', 'comments'],
    ['<section class="comment-list"></section>', 'comments'],
    ['<nav></nav>', 'structural'],
    ['<aside></aside>', 'structural'],
    ['<div role="navigation"></div>', 'structural'],
    ['<aside id="TableOfContents"></aside>', 'structural'],
    ['<div class="toc"></div>', 'structural'],
    ['<div class="pagination"></div>', 'structural'],
    ['<div id="sidebar"></div>', 'unlikely'],
    ['<div class="newsletter-signup"></div>', 'unlikely'],
    ['<div class="post-meta"></div>', 'unlikely'],
    ['<div id="header"></div>', 'unlikely'],
    ['<header class="entry-header"></header>', 'likely'],
    ['<div class="post-content"></div>', 'likely'],
    ['<div class="nested-copy-line-height lh-copy f4"></div>', 'neutral'],
    ['<div class="shared-components"></div>', 'neutral'],
  ])('classifies %s as %s', (html, expected) => {
    expect(classify(html)).toBe(expected);
  });
});
