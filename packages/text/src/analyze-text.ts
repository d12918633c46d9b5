import { stemmer } from 'stemmer';

/** English function words that carry no topic (a superset of the usual lists, with question words). */
export const stopwords = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between both but by
  can cannot could couldn't did didn't do does doesn't doing don't down during each few for from further get gets got had hadn't
  has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if
  in into is isn't it it's its itself just let's like me more most mustn't my myself no nor not of off on once only or other ought
  our ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their
  theirs them themselves then there there's these they they'd they'll they're they've this those through to too under until up
  very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why
  why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves also really want need
  thing things way ways lot lots much many may might must shall us one's someone something anything know think`
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replaceAll("'", '')),
);

/** Spellings that mean the same thing in this domain, rewritten to one form before tokenising. */
const equivalences: [RegExp, string][] = [
  [/\b(?:1\s*(?::|-|on|-on-)\s*1s?|one[\s-]on[\s-]ones?|1on1s?)\b/g, ' oneonone '],
  [/\bstaff\s*\+|\bstaff-plus\b/g, ' staff principal '],
  [/\bems?\b/g, ' engineering manager '],
  [/\bics?\b/g, ' individual contributor '],
  [/\bprs?\b/g, ' pull request '],
  [/\bmgrs?\b/g, ' manager '],
  [/\beng\b/g, ' engineering '],
  [/\bdevs?\b/g, ' developer '],
  [/\borg\b/g, ' organization '],
  [/\borgs\b/g, ' organizations '],
  [/\bperf\b/g, ' performance '],
  [/\binfra\b/g, ' infrastructure '],
];

/**
 * Everyday idioms rewritten to what they mean, before tokenising: read word by word, their
 * content words name something else in this field ("keep my director in the loop" matched
 * interview loops and feedback loops; "low-hanging fruit", "on the same page"). Both sides
 * are rewritten alike, so a page that uses the idiom still meets a question that does. Only
 * idioms whose literal words mislead here: "push back" or "ramp up" mean what they say.
 */
const idioms: [RegExp, string][] = [
  [/\b(?:out of|outside) the loop\b/g, ' uninformed '],
  [/\bin the loop\b/g, ' informed '],
  [/\bon the same page\b/g, ' aligned '],
  [/\blow[\s-]hanging fruits?\b/g, ' easy wins '],
  [/\bboil(?:s|ed|ing)? the ocean\b/g, ' overly broad scope '],
  [/\bmov(?:e|es|ed|ing) the needle\b/g, ' meaningful impact '],
  [/\bdrop(?:s|ped|ping)? the ball\b/g, ' missed commitments '],
  [/\bin the weeds\b/g, ' in the details '],
  [/\b(?:on|off) (my|your|his|her|our|their|the team's) plates?\b/g, ' $1 workload '],
  [/\b(?:throw|throws|threw|thrown|throwing) (?:\w+ ){0,2}under the bus\b/g, ' blame '],
  [/\bwear(?:s|ing)? (?:too |so )?many hats\b/g, ' many roles '],
  [/\breinvent(?:s|ed|ing)? the wheel\b/g, ' duplicating existing solutions '],
  [/\bin a vacuum\b/g, ' in isolation '],
  [/\btouch(?:es|ed|ing)? base\b/g, ' check in '],
  [/\bcircl(?:e|es|ed|ing) back\b/g, ' follow up '],
  [/\b(?:30|thirty),?000[\s-](?:foot|feet)\b/g, ' high level '],
  [/\ball hands on deck\b/g, ' everyone helping '],
  [/\bheads[\s-]down\b/g, ' focused '],
  [/\bstep(?:s|ped|ping)? on (?:\w+ )?toes\b/g, ' overstep '],
];

/** The idioms as one pattern, so that a text is scanned once for all of them. */
const anyIdiom = new RegExp(idioms.map(([pattern]) => `(?:${pattern.source})`).join('|'), 'g');

/** An idiom found by anyIdiom, rewritten by the first of `idioms` that matches it. */
function rewriteIdiom(found: string): string {
  for (const [pattern, replacement] of idioms) {
    pattern.lastIndex = 0;
    if (pattern.test(found)) return found.replace(pattern, replacement);
  }
  return found;
}

/** British spellings folded to American ones (organisation → organization, behaviour → behavior). */
const britishSpellings: [RegExp, string][] = [
  [/\b([a-z]{3,})is(ation|ations|e|es|ed|ing|er|ers)\b/g, '$1iz$2'],
  [/\b([a-z]{3,})iour(s?)\b/g, '$1ior$2'],
  [/\b([a-z]{3,})tre(s?)\b/g, '$1ter$2'],
];

/** Lower-cases, folds accents, typographic quotes and spelling variants, and applies the domain equivalences. */
export function normalizeText(text: string): string {
  let normalized = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'");
  normalized = normalized.replace(anyIdiom, rewriteIdiom);
  for (const [pattern, replacement] of equivalences) normalized = normalized.replace(pattern, replacement);
  for (const [pattern, replacement] of britishSpellings) normalized = normalized.replace(pattern, replacement);
  return normalized;
}

const wordPattern = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

/** The most words `stem` remembers; past it, it starts afresh (a corpus of many rare words). */
const STEMS_REMEMBERED = 100_000;
const stems = new Map<string, string>();

/**
 * The Porter stem of a word (the `stemmer` package), remembered: a corpus repeats its words,
 * and a stem costs about as much as the rest of analyzeText. Ingesting 1,000 pages stems
 * each word of each passage twice (keyword weights, the local embedder's rarity weights).
 */
export function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    if (stems.size >= STEMS_REMEMBERED) stems.clear();
    stemmed = stemmer(word);
    stems.set(word, stemmed);
  }
  return stemmed;
}

/**
 * The content terms of a text, in order: normalised, stop words removed, Porter-stemmed.
 * Used by the local embedder and by answer composition to compare texts lexically.
 */
export function analyzeText(text: string): string[] {
  const terms: string[] = [];
  for (const match of normalizeText(text).matchAll(wordPattern)) {
    const word = match[0].replaceAll("'", '');
    if (word.length < 2 && !/\d/.test(word)) continue;
    if (stopwords.has(word)) continue;
    terms.push(word.length > 40 ? word.slice(0, 40) : stem(word));
  }
  return terms;
}
