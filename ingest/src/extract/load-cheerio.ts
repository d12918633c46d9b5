import { createRequire } from 'node:module';
import type * as Cheerio from 'cheerio';

let loaded: typeof Cheerio | undefined;

/**
 * cheerio, loaded at its first use rather than when @cairn/ingest is imported: the API imports
 * the package at start (its crawler and runner), and cheerio with its parsers (parse5,
 * htmlparser2, undici, the encodings) took about 0.2 s of that start, for pages that are
 * parsed only once a run begins, mostly in the extraction workers.
 */
export function cheerio(): typeof Cheerio {
  return (loaded ??= createRequire(import.meta.url)('cheerio') as typeof Cheerio);
}
