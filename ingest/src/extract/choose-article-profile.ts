import type { CheerioAPI } from 'cheerio';
import type { ArticleProfile } from './article-profile.js';
import { genericProfile } from './generic-profile.js';
import { hugoAnankeProfile } from './hugo-ananke-profile.js';
import { larahoganProfile } from './larahogan-profile.js';

/** The profiles in the order they are tried; the generic one, last, matches every page. */
export const articleProfiles: readonly ArticleProfile[] = [hugoAnankeProfile, larahoganProfile, genericProfile];

/** The first profile whose markup the page has. */
export function chooseArticleProfile($: CheerioAPI): ArticleProfile {
  return articleProfiles.find((profile) => profile.matches($)) ?? genericProfile;
}
