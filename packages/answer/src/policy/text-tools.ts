/** Small, dependency-free helpers for the policy's reading and writing of English. */

/** Typographic apostrophes and quotes as plain ones, spaces collapsed. */
export function plain(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The sentences of a message, each with its closing punctuation. Splits after `.`, `?`, `!`
 * and `;` followed by a space, and at a dash that opens a question ("… left — how do I…?"),
 * but not after common abbreviations ("e.g.", "vs.", "Dr.").
 */
export function splitSentences(text: string): string[] {
  const cleaned = plain(text);
  if (!cleaned) return [];
  const protectedText = cleaned.replace(/\b(e\.g|i\.e|vs|etc|dr|mr|mrs|ms|approx|incl)\./gi, (match) => match.replace(/\./g, '\uE000'));
  const pieces = protectedText
    .split(
      /(?<=[.?!;])\s+(?=["'(]?[A-Za-z0-9])|\s+(?:[\u2014\u2013]|--?)\s+(?=(?:how|what|why|should|can|is|do|does|which|when|where|who|any)\b)/i,
    )
    .map((piece) => piece.replace(/\uE000/g, '.').trim())
    .filter(Boolean);
  return pieces;
}

/** Whether a sentence is a question: it ends with a question mark. */
export const isQuestionSentence = (sentence: string): boolean => /\?\s*["')]*$/.test(sentence);

/** A 32-bit FNV-1a hash: stable across runs, for choosing among wordings. */
export function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/** One of `options`, chosen by the key's hash (the same key always gets the same one). */
export function pick<T>(options: readonly T[], key: string): T {
  return options[hash(key) % options.length]!;
}

export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Words that are ordinary at the start of a sentence and lower-cased inside one. */
const commonOpeners = new Set(
  `a an the my our your his her their its this that these those there here it i'm i've i'd we we're we've we'll we'd you you're you'll you've you'd they they're they'll they've they'd he she
  one two three four five six seven eight nine ten some any every each all no nobody none everyone everybody someone somebody
  people candidates engineers managers leadership finance product engineering management velocity delivery our
  how what why when where which who whom whose should can could would will do does did is are was were has have had am
  may might must shall and but so or if as at in on for with after before since because while during from to by of
  just still also now lately recently honestly basically actually currently last next over for months years weeks
  whenever halfway everything nothing something anything most many much more few several both either neither
  morale hiring attrition code quality performance sprint sprints nobody design users customers tech technical team teams
  reviews deploys releases incidents outages onboarding planning`
    .split(/\s+/)
    .filter(Boolean),
);

/** Everyday words that open a user's sentence and are lower-cased inside one ("Good or bad?", "Thoughts on…"). */
const commonWords = new Set(
  `good bad better worse best worst right wrong big small new old any thoughts ideas idea advice help tips question questions
  problem problems issue issues team teams project projects process people everyone someone anyone nobody things stuff
  yes no maybe ok okay sure fine great quick real honest same other another every each first last next most more less
  long short hard easy fast slow high low half most some all none both several many few`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Lower-cases the first letter of a clause that will sit inside a sentence, unless its first
 * word looks like a proper noun or an acronym ("CTO", "Sarah", "BICEPS").
 */
export function lowerFirst(text: string): string {
  const first = /^[A-Za-z']+/.exec(text)?.[0] ?? '';
  if (!first) return text;
  if (first.length > 1 && first === first.toUpperCase()) return text;
  if (first === 'I' || first.startsWith("I'")) return text;
  const lower = first.toLowerCase();
  // A common word, a verb, or a word with a common word's ending ("thoughts", "sprint", "honestly"), not a name.
  const common =
    commonOpeners.has(lower) ||
    baseVerbs.has(lower) ||
    commonWords.has(lower) ||
    /(?:ing|ed|ly|tion|tions|ness|ment|ments|ity|ies|ous|ful|less|able|ible)$/.test(lower);
  if (!common) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Auxiliaries and modals, which invert with the subject in a question. */
export const auxiliaries = new Set([
  'do',
  'does',
  'did',
  'is',
  'are',
  'am',
  'was',
  'were',
  'has',
  'have',
  'had',
  'should',
  'can',
  'could',
  'would',
  'will',
  'might',
  'may',
  'must',
  'shall',
]);

export const modals = new Set(['should', 'can', 'could', 'would', 'will', 'might', 'may', 'must', 'shall']);
export const beForms = new Set(['is', 'are', 'am', 'was', 'were']);

/** Words that open a noun phrase: a verb never follows one directly. */
export const determiners = new Set([
  'a',
  'an',
  'the',
  'my',
  'our',
  'your',
  'his',
  'her',
  'their',
  'its',
  'this',
  'that',
  'these',
  'those',
  'each',
  'every',
  'some',
  'any',
  'no',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'several',
  'many',
  'more',
  'most',
  'new',
  'other',
  'another',
  'all',
]);

export const prepositions = new Set([
  'of',
  'in',
  'on',
  'at',
  'for',
  'with',
  'without',
  'to',
  'from',
  'by',
  'about',
  'into',
  'onto',
  'over',
  'under',
  'between',
  'across',
  'after',
  'before',
  'during',
  'since',
  'through',
  'within',
  'around',
  'against',
  'among',
  'like',
  'than',
  'via',
]);

/** Common base forms of verbs in leaders' questions: how a subject's end is found without a tagger. */
export const baseVerbs = new Set(
  `accept act adapt add address adopt advocate affect agree align allocate announce answer apply approach argue arrange ask assess
  assign avoid back balance be become begin believe bring build buy calibrate care carve change choose claim close coach
  come commit communicate compare compensate complain consider contain continue convince cope count create cut deal decide
  define delegate deliver demand deploy describe design develop differ disagree discuss distinguish divide do document drive
  drop earn encourage engage ensure escalate estimate evaluate expect explain face fail feel fight figure find finish fire
  fit fix focus follow forget frame get give go grow handle happen hate have hear help hire hold identify ignore implement
  improve include increase influence introduce invest involve keep know land last lead learn leave let listen live look
  lose make manage matter mean measure meet mentor merge miss motivate move need negotiate notice offer onboard open organise
  organize own pay perform pick pitch plan play prepare present prevent prioritise prioritize produce promote propose protect
  prove push put quit raise reach react read realise realize reason receive recognise recognize recommend recover recruit
  reduce refuse relate remember remove repair replace report represent resolve respond rest restructure retain return review
  rewrite roll run say scale scope see seem sell send set settle share ship show shrink size slow solve sort speak spend split
  sponsor stand start stay step stop structure succeed suggest support survive take talk teach tell tend test think
  track train transition treat trust try turn understand use value view wait want warn win work worry write sit own belong
  cover sound reward rank sign approve block unblock pair rotate fall rise break spread stick serve cost afford
  behave hurt benefit prefer tackle decline accept attract retain onboard hire fire mean look hit bother upset annoy scare
  frustrate derail kill drag`
    .split(/\s+/)
    .filter(Boolean),
);

const irregularPast: Record<string, string> = {
  be: 'was',
  become: 'became',
  begin: 'began',
  bring: 'brought',
  build: 'built',
  buy: 'bought',
  choose: 'chose',
  come: 'came',
  cut: 'cut',
  deal: 'dealt',
  do: 'did',
  feel: 'felt',
  fight: 'fought',
  find: 'found',
  forget: 'forgot',
  get: 'got',
  give: 'gave',
  go: 'went',
  have: 'had',
  hear: 'heard',
  hold: 'held',
  keep: 'kept',
  know: 'knew',
  lead: 'led',
  leave: 'left',
  let: 'let',
  lose: 'lost',
  make: 'made',
  mean: 'meant',
  meet: 'met',
  pay: 'paid',
  put: 'put',
  quit: 'quit',
  read: 'read',
  run: 'ran',
  say: 'said',
  see: 'saw',
  sell: 'sold',
  send: 'sent',
  set: 'set',
  speak: 'spoke',
  spend: 'spent',
  split: 'split',
  stand: 'stood',
  take: 'took',
  teach: 'taught',
  tell: 'told',
  think: 'thought',
  understand: 'understood',
  win: 'won',
  write: 'wrote',
};

const vowel = /[aeiou]/;

/** Whether a one-syllable verb doubles its last consonant before -ed/-ing (stop → stopped, plan → planning). */
function doublesFinal(verb: string): boolean {
  const syllables = verb.match(/[aeiouy]+/g)?.length ?? 0;
  return syllables === 1 && /[^aeiou][aeiou][bdgklmnprtv]$/.test(verb);
}

/** The third person singular of a base verb: keep → keeps, go → goes, try → tries, be → is. */
export function thirdPerson(verb: string): string {
  if (verb === 'be') return 'is';
  if (verb === 'have') return 'has';
  if (/(s|sh|ch|x|z|o)$/.test(verb)) return `${verb}es`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

/** The simple past of a base verb: irregular ones from a table, regular ones by rule. */
export function pastTense(verb: string): string {
  const irregular = irregularPast[verb];
  if (irregular) return irregular;
  if (verb.endsWith('e')) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  if (doublesFinal(verb)) return `${verb}${verb.slice(-1)}ed`;
  return `${verb}ed`;
}

/** The -ing form of a base verb: merge → merging, split → splitting, lie → lying, see → seeing. */
export function gerund(verb: string): string {
  if (verb === 'be') return 'being';
  if (verb.endsWith('ie')) return `${verb.slice(0, -2)}ying`;
  if (/[^aeiouy]e$/.test(verb) && verb.length > 2) return `${verb.slice(0, -1)}ing`;
  if (doublesFinal(verb) && vowel.test(verb)) return `${verb}${verb.slice(-1)}ing`;
  return `${verb}ing`;
}

/** Words before a verb that only soften or stress it ("just reuse", "go ahead and hire"): not the verb. */
const beforeTheVerb = /^(?:(?:just|simply|actually|really|finally|maybe|also|still|quickly|go ahead and|try and|try to)\s+)+/i;

/**
 * The phrase with its first word (a base verb) turned into its -ing form: "merge it with…" → "merging it with…";
 * "just reuse the roadmap" → "reusing the roadmap" (not "justing reuse").
 */
export function gerundPhrase(phrase: string): string {
  return (
    phrase
      .replace(beforeTheVerb, '')
      .replace(/^([A-Za-z]+)/, (verb) => gerund(verb.toLowerCase()))
      // "…and adapt it": a second verb joined to the first takes the same form.
      .replace(/\b(and|or) ([a-z]+)\b/g, (whole, joiner: string, verb: string) =>
        baseVerbs.has(verb) ? `${joiner} ${gerund(verb)}` : whole,
      )
  );
}

const numberWords: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  dozen: 12,
};

/** The number words a size may be written with, as a regular-expression alternation. */
export const numberWordPattern = String.raw`(?:\d+(?:,\d{3})*(?:\.\d+)?k?|(?:a |two |three |a couple of )?(?:dozen|hundred)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)`;

/** The value of a number as the user wrote it ("60", "1,200", "2k", "twelve", "forty-five", "two dozen"). */
export function parseNumber(text: string): number | null {
  const cleaned = text.toLowerCase().replace(/,/g, '').trim();
  const digits = /^(\d+(?:\.\d+)?)(k?)$/.exec(cleaned);
  if (digits) return Math.round(Number(digits[1]) * (digits[2] ? 1000 : 1));
  const words = cleaned
    .replace(/^a couple of /, 'two ')
    .replace(/^an? /, 'one ')
    .split(/[\s-]+/);
  let total = 0;
  let current = 0;
  for (const word of words) {
    const value = numberWords[word];
    if (value === undefined) return null;
    if (word === 'hundred' || word === 'dozen') current = (current || 1) * value;
    else current += value;
  }
  total += current;
  return total > 0 ? total : null;
}

/** Subjects after which a base verb is finite ("we track", "people leave"). */
const subjectWords = new Set(['i', 'we', 'you', 'they', 'people', 'nobody', 'everyone', 'everybody', 'folks', 'who', 'that', 'which']);
const pronounContractions = /^(?:it|that|there|here|what|who|he|she|everything|nothing|something|this|where|how)'s$/;
/** Past tenses that are not also base forms ("went", not "split" or "put", which need a subject to be finite). */
const irregularFinite = new Set([
  ...Object.entries(irregularPast)
    .filter(([base, past]) => base !== past)
    .map(([, past]) => past),
  'is',
  'are',
  'am',
  'was',
  'were',
  'has',
  'had',
  'does',
  'did',
  'goes',
]);

/** The base form of a verb-like word ("tracks" → "track", "tried" → "try", "stopped" → "stop"), if it is one. */
function verbBase(word: string): string | undefined {
  const candidates = [word];
  if (word.endsWith('ies')) candidates.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) candidates.push(word.slice(0, -2));
  if (word.endsWith('s')) candidates.push(word.slice(0, -1));
  if (word.endsWith('ied')) candidates.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('ed')) candidates.push(word.slice(0, -2), word.slice(0, -1), word.slice(0, -3));
  return candidates.find((candidate) => baseVerbs.has(candidate));
}

/**
 * Whether a sentence has a finite verb: an auxiliary or a contraction, a past tense, a verb
 * with -s, or a base verb after a subject ("we track it") or opening the sentence (an
 * imperative). "Team too slow" and "Option A: product areas" have none. A heuristic over a
 * lexicon, not a parser: it errs towards finding a verb.
 */
export function hasFiniteVerb(sentence: string): boolean {
  const words =
    plain(sentence)
      .toLowerCase()
      .match(/[a-z0-9:]+(?:'[a-z]+)?/g) ?? [];
  return words.some((word, index) => {
    if (
      auxiliaries.has(word) ||
      irregularFinite.has(word) ||
      /n't$|'re$|'ve$|'m$|'ll$|'d$/.test(word) ||
      pronounContractions.test(word) ||
      /^(?:dont|doesnt|didnt|cant|wont|isnt|arent|wasnt|werent|havent|hasnt|im)$/.test(word)
    )
      return true;
    // "we mostly care about…": the subject before an adverb.
    let back = index - 1;
    while (
      back > 0 &&
      /^(?:\w+ly|just|also|still|really|only|already|even|never|always|often|usually|mostly|actually|now)$/.test(words[back]!)
    )
      back -= 1;
    const previous = words[back];
    if (/(?:ed|s)$/.test(word) && word.length > 3 && verbBase(word) && !(previous && determiners.has(previous))) return true;
    if (baseVerbs.has(word) && (index === 0 || (previous !== undefined && subjectWords.has(previous)))) return true;
    // "my PM keep stepping on…", "we need to…": a verb that takes an -ing form or "to" after it.
    const next = words[index + 1];
    if (
      baseVerbs.has(word) &&
      next !== undefined &&
      (/ing$/.test(next) || next === 'to') &&
      previous !== undefined &&
      !determiners.has(previous) &&
      !prepositions.has(previous) &&
      previous !== 'to'
    )
      return true;
    // "our meetings keep getting tense", "my 1:1s feel like…": a base verb after a plural noun.
    if (
      baseVerbs.has(word) &&
      previous !== undefined &&
      /[a-z0-9]s$/.test(previous) &&
      !determiners.has(previous) &&
      !prepositions.has(previous) &&
      !/^(?:is|was|has|does|this|his|its|yes|less|unless|thus|plus|always|perhaps)$/.test(previous)
    )
      return true;
    return false;
  });
}

/** Contractions typed without their apostrophe, and shorthand, as a reader would take them. */
const typed: Record<string, string> = {
  whats: "what's",
  hows: "how's",
  whos: "who's",
  wheres: "where's",
  thats: "that's",
  theres: "there's",
  dont: "don't",
  doesnt: "doesn't",
  didnt: "didn't",
  cant: "can't",
  wont: "won't",
  isnt: "isn't",
  arent: "aren't",
  wasnt: "wasn't",
  werent: "weren't",
  havent: "haven't",
  hasnt: "hasn't",
  shouldnt: "shouldn't",
  couldnt: "couldn't",
  wouldnt: "wouldn't",
  im: "I'm",
  ive: "I've",
  youre: "you're",
  theyre: "they're",
  u: 'you',
  ur: 'your',
  pls: 'please',
  plz: 'please',
  teh: 'the',
  i: 'I',
};

/**
 * A message as typed quickly, read as written carefully: "whats" → "what's", "dont" → "don't",
 * "im" → "I'm", "u" → "you", a lone "i" → "I", "??" → "?". Nothing else changes.
 */
export function normaliseTyping(text: string): string {
  return text
    .replace(/\b[A-Za-z]+\b(?!['’])/g, (word) => {
      const replacement = typed[word.toLowerCase()];
      if (!replacement || (word === 'U' && replacement === 'you')) return word;
      return /^[A-Z]/.test(word) && replacement !== 'I' ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
    })
    .replace(/\?{2,}/g, '?')
    .replace(/!{2,}/g, '!');
}

/** Feedback the user was given ("got feedback from my manager that I'm not strategic enough"), not one they give. */
export const receivedFeedback =
  /\b(?:got|get|getting|received|receiving|was given|been given|heard|hearing) (?:some |a lot of |this |that |harsh |vague |negative |critical |tough |the )?feedback\b|\b(?:my (?:manager|boss|lead|skip-level|director|vp|cto|ceo|peers?)|i was|i keep (?:being|getting)) (?:told|tells|keeps telling|said|says)(?: me)?(?: that)? (?:i'?m|i am|i need|i should|i was|i have|i'?ve|i lack|i'?m not|my)\b/i;
