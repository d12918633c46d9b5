import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { elementText } from './element-text.js';
import { removeInvisibleElements } from './remove-invisible-elements.js';

function visibleText(body: string): string {
  const $ = cheerio.load(`<html><head><style>p { color: red }</style></head><body>${body}</body></html>`);
  removeInvisibleElements($);
  return elementText($('body')[0]!);
}

describe('removeInvisibleElements', () => {
  it.each([
    ['the hidden attribute', '<div hidden>secret</div>'],
    ['aria-hidden=true', '<span aria-hidden="TRUE">secret</span>'],
    ['an inline display: none', '<p style="color: red; DISPLAY : none !important">secret</p>'],
    ['an inline visibility: hidden', '<p style="visibility:hidden">secret</p>'],
    ['a script', '<script>var secret = 1;</script>'],
    ['a style', '<style>.secret {}</style>'],
    ['noscript', '<noscript>secret</noscript>'],
    ['a template', '<template><p>secret</p></template>'],
    ['an iframe', '<iframe srcdoc="secret">secret</iframe>'],
    ['an svg', '<svg><title>secret</title><text>secret</text></svg>'],
    ['a form control', '<button>secret</button><select><option>secret</option></select><textarea>secret</textarea>'],
    ['a closed dialog', '<dialog>secret</dialog>'],
    ['a hiding utility class', '<div class="note hidden">secret</div><div class="d-none">secret</div>'],
    [
      'a short screen-reader-only decoration',
      '<span class="sr-only">secret</span><a class="visually-hidden" href="#main">Skip to main content</a>',
    ],
  ])('removes text hidden by %s', (_name, html) => {
    expect(visibleText(`<p>Shown.</p>${html}`)).toBe('Shown.');
  });

  it('keeps what is shown: aria-hidden=false, other styles, responsive utility classes', () => {
    expect(
      visibleText(
        '<p aria-hidden="false">one</p><p style="display: block">two</p><div class="hidden md:block">three</div><div class="d-none d-lg-block">four</div>',
      ),
    ).toBe('one two three four');
  });

  it('keeps longer screen-reader-only text, which can be real content', () => {
    const caption = 'Pages per week for the last quarter, falling from fourteen to five after the alert review.';
    expect(visibleText(`<span class="visually-hidden">${caption}</span>`)).toBe(caption);
  });

  it('keeps the metadata in the head', () => {
    const $ = cheerio.load(
      '<html><head><title>T</title><meta name="author" content="A"><link rel="canonical" href="/x/"></head><body></body></html>',
    );
    removeInvisibleElements($);
    expect($('title').text()).toBe('T');
    expect($('meta[name="author"]').attr('content')).toBe('A');
    expect($('link[rel="canonical"]').attr('href')).toBe('/x/');
  });
});
