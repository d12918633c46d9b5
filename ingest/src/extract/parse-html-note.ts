import { isWebUrl } from './parse-markdown-note.js';
import { withoutInvisibleCharacters } from './hidden-characters.js';
import { cheerio } from './load-cheerio.js';
import type { DocumentOutline, OutlineBlock } from '../outline.js';
import { parsePublishedDate } from './parse-published-date.js';
import { readWithinDepth } from './extraction-error.js';
import { NoteParseError } from './note-parse-error.js';
import { nameInGoMap } from './read-page-metadata.js';
import { slugify } from './slugify.js';

const boilerplate = 'script, style, noscript, template, nav, aside, header, footer, form, iframe, svg, [hidden], [aria-hidden="true"]';
const blockSelector = 'h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, td, th, dd, dt';

/** A note's meta author as written, but for the Go map a Hugo theme may write there (see nameInGoMap). */
function authorOfMeta(text: string | null): string | null {
  if (text === null) return null;
  const mapped = nameInGoMap(text);
  return mapped === undefined ? text : mapped;
}

/**
 * Parses an HTML note (a saved page or an export) into an outline: title, author and
 * date from the page's meta data, the main content (main, article or body) without
 * navigation, scripts or hidden elements, headings with their ids as anchors.
 */
export function parseHtmlNote(html: string, locator: string): DocumentOutline {
  return readWithinDepth(
    html,
    () => parseHtmlNoteUnguarded(html, locator),
    () => new NoteParseError(locator, 'nests its elements too deeply to read'),
  );
}

function parseHtmlNoteUnguarded(html: string, locator: string): DocumentOutline {
  // The text policy of web pages (see withoutInvisibleCharacters): a note is read without what renders as nothing.
  const $ = cheerio().load(withoutInvisibleCharacters(html));
  const meta = (selector: string) => $(selector).first().attr('content')?.trim() || null;
  const title = meta('meta[property="og:title"]') ?? ($('title').first().text().trim() || $('h1').first().text().trim() || null);
  if (!title) throw new NoteParseError(locator, 'has no <title> or <h1>');
  const canonical = $('link[rel="canonical"]').attr('href')?.trim() || meta('meta[property="og:url"]');
  const published = meta('meta[property="article:published_time"]') ?? $('time[datetime]').first().attr('datetime') ?? null;
  // Read as a page's date is: an impossible one (2024-02-30) is none, not the first of March.
  const publishedAt = parsePublishedDate(published);
  const root = $('main').first().length ? $('main').first() : $('article').first().length ? $('article').first() : $('body');
  root.find(boilerplate).remove();
  root
    .find('[style]')
    .filter((_, element) => /display\s*:\s*none|visibility\s*:\s*hidden/i.test($(element).attr('style') ?? ''))
    .remove();
  const blocks: OutlineBlock[] = [];
  root.find(blockSelector).each((_, element) => {
    const node = $(element);
    // A block inside another block (a p inside an li) is read with its parent.
    if (node.parents(blockSelector).length > 0) return;
    const text = node.text().replace(/\s+/g, ' ').trim();
    if (!text) return;
    const level = /^h([1-6])$/.exec(element.tagName.toLowerCase());
    if (level) blocks.push({ kind: 'heading', level: Number(level[1]), text, anchor: node.attr('id') ?? (slugify(text) || null) });
    else blocks.push({ kind: 'text', text: element.tagName.toLowerCase() === 'li' ? `- ${text}` : text });
  });
  if (!blocks.some((block) => block.kind === 'text')) throw new NoteParseError(locator, 'has no text');
  return {
    title,
    author: authorOfMeta(meta('meta[name="author"]')),
    publishedAt,
    url: canonical && isWebUrl(canonical) ? canonical : locator,
    kind: 'note',
    topics: (meta('meta[name="keywords"]') ?? '')
      .split(',')
      .map((topic) => topic.trim())
      .filter(Boolean),
    frameworks: [],
    blocks,
  };
}
