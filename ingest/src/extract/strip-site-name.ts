import { collapseWhitespace } from './element-text.js';

const separators = [' | ', ' – ', ' — ', ' - ', ' :: ', ' · ', ' » ', ' // '];
/** A suffix after " - " is taken for a site name only when it is this short; "Migrations - why they stall" is a title. */
const maxGuessedSiteWords = 4;

export interface StripSiteNameOptions {
  /**
   * Without a known site name, guess one: drop the last part after " | ", or after
   * another separator when that part is at most four words. For `<title>`, which
   * usually carries the site's name; og:title usually does not, so it is not guessed at.
   */
  guess?: boolean;
}

/**
 * A page title without the site's name: "Decisions that stick | Irrational Exuberance"
 * gives "Decisions that stick". The known `siteName` (og:site_name) is stripped from
 * either end; never strips a title down to nothing.
 */
export function stripSiteName(title: string, siteName: string | null, options: StripSiteNameOptions = {}): string {
  const text = collapseWhitespace(title);
  const lower = text.toLowerCase();
  const site = siteName ? collapseWhitespace(siteName).toLowerCase() : '';
  if (site && lower !== site) {
    for (const separator of separators) {
      if (lower.endsWith(separator + site)) return text.slice(0, text.length - separator.length - site.length).trim();
      if (lower.startsWith(site + separator)) return text.slice(site.length + separator.length).trim();
    }
  }
  if (!options.guess) return text;
  let cut = -1;
  let separatorFound = '';
  for (const separator of separators) {
    const index = text.lastIndexOf(separator);
    if (index > cut) {
      cut = index;
      separatorFound = separator;
    }
  }
  if (cut <= 0) return text;
  const suffix = text.slice(cut + separatorFound.length).trim();
  const guessable = separatorFound === ' | ' || suffix.split(' ').length <= maxGuessedSiteWords;
  return guessable ? text.slice(0, cut).trim() : text;
}
