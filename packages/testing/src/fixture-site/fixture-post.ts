/** One article the fixture site serves, rendered in the theme of the section it belongs to. */
export interface FixturePost {
  /** Path with its trailing slash, as the canonical URL and the sitemaps spell it. */
  path: string;
  title: string;
  description: string;
  author: string;
  /** ISO 8601 in UTC, e.g. `2023-05-01T00:00:00Z`. */
  publishedAt: string;
  /** The article body as HTML: `<h2 id>` section headings with paragraphs and lists between them. */
  body: string;
}

/** A post's path and title: enough to link to it from a neighbour. */
export type PostLink = Pick<FixturePost, 'path' | 'title'>;

/** The `<h2 id>` headings of a body, in order, for a table of contents. */
export function sectionHeadings(body: string): { id: string; heading: string }[] {
  return [...body.matchAll(/<h2 id="([^"]+)">(.*?)<\/h2>/g)].map((match) => ({ id: match[1]!, heading: match[2]! }));
}

/** The slashless spelling of a path, as Hugo themes often write internal links. */
export function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Seconds precision, because `Last-Modified` and `If-Modified-Since` carry no more. */
export function toWholeSeconds(milliseconds: number): number {
  return Math.floor(milliseconds / 1000) * 1000;
}

/** English month names, spelled out here because ICU's abbreviations differ between Node builds. */
export const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
