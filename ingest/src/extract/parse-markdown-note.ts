import { withoutInvisibleCharacters } from './hidden-characters.js';
import { Lexer, type Token, type Tokens } from 'marked';
import { parse as parseYaml } from 'yaml';
import { parsePublishedDate } from './parse-published-date.js';
import type { DocumentOutline, OutlineBlock } from '../outline.js';
import { readWithinDepth } from './extraction-error.js';
import { NoteParseError } from './note-parse-error.js';
import { slugify } from './slugify.js';

export { NoteParseError } from './note-parse-error.js';

interface FrontMatter {
  title?: unknown;
  author?: unknown;
  url?: unknown;
  published?: unknown;
  topics?: unknown;
  frameworks?: unknown;
}

const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String).filter(Boolean) : [];
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/**
 * The note's `published` date, read as pages' dates are (parsePublishedDate): a date that is no date (2024-02-30, the
 * year 99999) is refused with the note's error, where `new Date` rolled it into March or stored it as given (probe 34, L1).
 */
function parseDate(value: unknown, locator: string): Date | null {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) return null;
  const date =
    value instanceof Date
      ? Number.isNaN(value.getTime())
        ? null
        : value
      : parsePublishedDate(typeof value === 'string' ? value : String(value));
  if (!date || date.getUTCFullYear() < 1000 || date.getUTCFullYear() > 9999)
    throw new NoteParseError(
      locator,
      `published: ${JSON.stringify(value instanceof Date ? value.toISOString() : value)} is not a date (write it as 2024-02-29, or 2024-02-29T09:00:00Z)`,
    );
  return date;
}

/** Plain text of inline markdown: links keep their words, emphasis its text, images their alt. */
/**
 * A line break inside a paragraph's source is a soft break: the text goes on, as a browser shows it. Sources
 * wrapped at a fixed width (one sentence over several lines) would otherwise reach the index, and an answer's
 * quote, cut where the editor wrapped them. A hard break (two trailing spaces, a backslash, `<br>`) stays a line.
 */
function softBreaksAsSpaces(text: string): string {
  return text.replace(/[ \t]*\r?\n[ \t]*/g, ' ');
}

function inlineText(tokens: readonly Token[] | undefined, fallback: string): string {
  if (!tokens) return softBreaksAsSpaces(fallback);
  return (
    tokens
      .map((token) => {
        if ('tokens' in token && token.tokens?.length) return inlineText(token.tokens, '');
        if (token.type === 'image') return (token as Tokens.Image).text;
        if (token.type === 'br') return '\n';
        // Inline HTML is dropped, except a `<br>`: a hard line break, as a browser shows it.
        if (token.type === 'html') return /^<br\s*\/?>$/i.test(String((token as Tokens.HTML).text).trim()) ? '\n' : '';
        return 'text' in token ? softBreaksAsSpaces(String(token.text)) : '';
      })
      .join('')
      // A hard break keeps no space around it (a soft break after a `<br>` became one).
      .replace(/[ \t]*\n[ \t]*/g, '\n')
  );
}

function blockText(token: Token): string {
  switch (token.type) {
    case 'paragraph':
    case 'text':
      return inlineText((token as Tokens.Paragraph).tokens, (token as Tokens.Paragraph).text);
    case 'list':
      return (token as Tokens.List).items.map((item) => `- ${item.tokens.map(blockText).filter(Boolean).join(' ')}`).join('\n');
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.map(blockText).filter(Boolean).join('\n');
    case 'code':
      return (token as Tokens.Code).text;
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inlineText(cell.tokens, cell.text)).join(' | ');
      return [row(table.header), ...table.rows.map(row)].join('\n');
    }
    default:
      return '';
  }
}

/**
 * Parses a markdown note with YAML front matter (title, author, url of the original it
 * summarises, published, topics, frameworks) into an outline. Without a `title` in the
 * front matter, the first heading is the title.
 */
/**
 * What marked's inline lexer spends on a note's emphasis markers: it is quadratic in the markers of a paragraph that it
 * cannot pair (50,000 `_a` in 100 KB took 14 s, twice that four times as long; probe 33 L1), so the sum of each
 * paragraph's markers squared. `maxEmphasisCost` is about a third of a second here; a note written by people is far below.
 */
function emphasisCost(markdown: string): number {
  let cost = 0;
  for (const paragraph of markdown.split(/\n[ \t]*\n/)) {
    const markers = paragraph.match(/[*_]/g)?.length ?? 0;
    cost += markers * markers;
  }
  return cost;
}
const maxEmphasisCost = 5e7;

export function parseMarkdownNote(note: string, locator: string): DocumentOutline {
  if (emphasisCost(note) > maxEmphasisCost)
    throw new NoteParseError(
      locator,
      'holds more emphasis markers in a paragraph than notes are written with (reading it would take minutes)',
    );
  return readWithinDepth(
    note,
    () => parseMarkdownNoteUnguarded(note, locator),
    () => new NoteParseError(locator, 'nests its content too deeply to read'),
  );
}

function parseMarkdownNoteUnguarded(note: string, locator: string): DocumentOutline {
  // The text policy of web pages (see withoutInvisibleCharacters): a note is read without what renders as nothing.
  const markdown = withoutInvisibleCharacters(note);
  const match = frontMatterPattern.exec(markdown);
  let frontMatter: FrontMatter = {};
  if (match) {
    try {
      frontMatter = (parseYaml(match[1]!, { logLevel: 'error' }) as FrontMatter | null) ?? {};
    } catch (error) {
      throw new NoteParseError(locator, `front matter is not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
    if (typeof frontMatter !== 'object' || Array.isArray(frontMatter)) throw new NoteParseError(locator, 'front matter is not a mapping');
  }
  const body = match ? markdown.slice(match[0].length) : markdown;
  const blocks: OutlineBlock[] = [];
  for (const token of new Lexer().lex(body)) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      const text = inlineText(heading.tokens, heading.text).trim();
      blocks.push({ kind: 'heading', level: heading.depth, text, anchor: slugify(text) || null });
      continue;
    }
    const text = blockText(token).trim();
    if (text) blocks.push({ kind: 'text', text });
  }
  const firstHeading = blocks.find((block) => block.kind === 'heading');
  const title = optionalString(frontMatter.title) ?? (firstHeading?.kind === 'heading' ? firstHeading.text : null);
  if (!title) throw new NoteParseError(locator, 'has no title (add `title:` to the front matter or a heading)');
  if (!blocks.some((block) => block.kind === 'text')) throw new NoteParseError(locator, 'has no text');
  const url = optionalString(frontMatter.url);
  if (url && !isWebUrl(url))
    throw new NoteParseError(
      locator,
      URL.canParse(url)
        ? `url ${JSON.stringify(url)} is not an http(s) address: a citation links it, so it must be a web page`
        : `url ${JSON.stringify(url)} is not a URL`,
    );
  return {
    title,
    author: optionalString(frontMatter.author),
    publishedAt: parseDate(frontMatter.published, locator),
    url: url ?? locator,
    kind: 'note',
    topics: stringList(frontMatter.topics),
    frameworks: stringList(frontMatter.frameworks),
    blocks,
  };
}

/** An address a citation may link: http or https (a `javascript:` or `data:` one would run or hide in a client's link). */
export function isWebUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:';
}
