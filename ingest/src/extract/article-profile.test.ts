import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { articleProfiles, chooseArticleProfile } from './choose-article-profile.js';
import { elementText } from './element-text.js';
import { containsNode } from './html-node.js';
import { removeInvisibleElements } from './remove-invisible-elements.js';

function loadFixture(name: string) {
  const $ = cheerio.load(readFileSync(new URL(`../../test/fixtures/pages/${name}`, import.meta.url), 'utf8'));
  removeInvisibleElements($);
  return $;
}

/** Each profile, a page in its shape, the title its heading holds and words its content starts with. */
const cases = [
  {
    profile: 'hugo-ananke',
    fixture: 'hugo-post.html',
    title: 'Making technical decisions stick',
    opening: 'Most engineering organizations',
  },
  { profile: 'larahogan', fixture: 'larahogan-post.html', title: 'Feedback that lands', opening: 'Managers are told to give feedback' },
  {
    profile: 'generic',
    fixture: 'generic-blog.html',
    title: 'Running on-call without burning out',
    opening: 'Every team that runs a service',
  },
] as const;

// The same contract for every profile, run against a page of its shape.
describe.each(cases)('the $profile profile', ({ profile: name, fixture, title, opening }) => {
  const profile = articleProfiles.find((candidate) => candidate.name === name)!;

  it('matches a page of its shape, and is the one chosen for it', () => {
    const $ = loadFixture(fixture);
    expect(profile.matches($)).toBe(true);
    expect(chooseArticleProfile($).name).toBe(name);
  });

  it("finds the article's title heading", () => {
    const $ = loadFixture(fixture);
    const heading = profile.findTitleHeading($);
    expect(heading && elementText(heading)).toBe(title);
  });

  it('finds content that starts with the article and sits inside the listing scope', () => {
    const $ = loadFixture(fixture);
    const content = profile.findContent($, profile.findTitleHeading($));
    expect(content).not.toBeNull();
    expect(elementText(content!).startsWith(opening) || elementText(content!).includes(` ${opening}`)).toBe(true);
    expect(containsNode(profile.listingScope($, content!), content!)).toBe(true);
  });
});

describe('chooseArticleProfile', () => {
  it('tries the generic profile last, and it matches anything', () => {
    expect(articleProfiles.at(-1)?.name).toBe('generic');
    expect(chooseArticleProfile(cheerio.load('')).name).toBe('generic');
  });

  it('does not take a page of another shape for a Hugo or Jekyll one', () => {
    expect(chooseArticleProfile(loadFixture('hidden-text.html')).name).toBe('generic');
    expect(chooseArticleProfile(loadFixture('index-page.html')).name).toBe('generic');
  });
});
