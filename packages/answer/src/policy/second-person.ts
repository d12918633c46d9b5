import { auxiliaries, plain } from './text-tools.js';

/** The user's first person, as Cairn says it back to them. */
const firstToSecond: Record<string, string> = {
  i: 'you',
  "i'm": "you're",
  "i've": "you've",
  "i'd": "you'd",
  "i'll": "you'll",
  me: 'you',
  my: 'your',
  mine: 'yours',
  myself: 'yourself',
  we: 'you',
  "we're": "you're",
  "we've": "you've",
  "we'd": "you'd",
  "we'll": "you'll",
  us: 'you',
  our: 'your',
  ours: 'yours',
  ourselves: 'yourselves',
};

/** Cairn addressed as "you", said back as "I". */
const secondToFirst: Record<string, string> = {
  your: 'my',
  yours: 'mine',
  yourself: 'myself',
  "you're": "I'm",
  "you've": "I've",
  "you'd": "I'd",
  "you'll": "I'll",
};

/** What a "you" addressed to Cairn is followed by ("do you think", "would you recommend"). */
const cairnVerbs = new Set(['think', 'recommend', 'suggest', 'advise', 'believe', 'reckon', 'mean', 'know']);
const requestModals = new Set(['can', 'could', 'would', 'will']);
/** What the user did to Cairn earlier ("what I told you", "as I mentioned to you"): that "you" is Cairn too. */
const tellingVerbs = new Set(['told', 'tell', 'asked', 'showed', 'gave', 'sent', 'mentioned', 'said', 'explained', 'described', 'wrote']);
const opinionNouns = new Set([
  'view',
  'opinion',
  'take',
  'advice',
  'thoughts',
  'recommendation',
  'suggestion',
  'sources',
  'judgement',
  'judgment',
  'call',
  'expertise',
  'input',
]);

/** Words before a "you" that make it a subject ("and you", "can you"), not an object ("tell you"). */
const subjectOpeners = new Set([
  ...auxiliaries,
  'and',
  'but',
  'or',
  'so',
  'if',
  'when',
  'that',
  'whether',
  'because',
  'what',
  'how',
  'why',
  'where',
  'which',
  'who',
  'then',
  'while',
  'unless',
  'until',
]);

const wordPattern = /[A-Za-z]+(?:'[A-Za-z]+)*/g;

interface Word {
  text: string;
  lower: string;
  index: number;
}

function matchCase(original: string, replacement: string, sentenceStart: boolean): string {
  if (replacement === 'I' || replacement.startsWith("I'")) return replacement;
  const isI = original === 'I' || original.startsWith("I'");
  const capital = isI ? sentenceStart : /^[A-Z]/.test(original);
  return capital ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
}

/**
 * The user's words said back to them: first person to second ("I'm" → "you're", "my" →
 * "your", "we" → "you", "am" → "are" and "was" → "were" beside "I"), and a "you" that
 * addresses Cairn ("can you", "do you think", "your view") to the first person. A generic
 * "you" ("how do you handle…") is kept, as are proper nouns, acronyms and "US".
 */
export function toSecondPerson(text: string): string {
  const source = plain(text);
  const words: Word[] = [...source.matchAll(wordPattern)].map((match) => ({
    text: match[0],
    lower: match[0].toLowerCase(),
    index: match.index,
  }));
  const cairnYou = new Set<number>();
  words.forEach((word, position) => {
    if (word.lower !== 'you') return;
    const previous = words[position - 1]?.lower ?? '';
    const next = words[position + 1]?.lower ?? '';
    if (requestModals.has(previous) || cairnVerbs.has(next)) cairnYou.add(position);
    // "I told you", "we just told you", "as I mentioned to you".
    const verb = previous === 'to' ? (words[position - 2]?.lower ?? '') : previous;
    const before = words.slice(Math.max(0, position - 4), position - 1).map((earlier) => earlier.lower);
    if (
      tellingVerbs.has(verb) &&
      before.some((earlier) => earlier === 'i' || earlier === 'we' || earlier === "i've" || earlier === "we've")
    )
      cairnYou.add(position);
  });

  let output = '';
  let cursor = 0;
  words.forEach((word, position) => {
    output += source.slice(cursor, word.index);
    cursor = word.index + word.text.length;
    const previous = words[position - 1]?.lower ?? '';
    const next = words[position + 1]?.lower ?? '';
    const sentenceStart = /(?:^|[.?!:]["')]?)\s*["(]?$/.test(source.slice(0, word.index));
    let replacement: string | undefined;
    if (word.text === 'US') replacement = undefined;
    else if (word.lower === 'am' && (previous === 'i' || next === 'i')) replacement = 'are';
    else if (word.lower === 'was' && (previous === 'i' || next === 'i')) replacement = 'were';
    else if (word.lower === "wasn't" && (previous === 'i' || next === 'i')) replacement = "weren't";
    else if (word.lower === 'you' && cairnYou.has(position)) replacement = subjectOpeners.has(previous) || position === 0 ? 'I' : 'me';
    else if ((word.lower === 'are' || word.lower === 'were') && (cairnYou.has(position - 1) || cairnYou.has(position + 1)))
      replacement = word.lower === 'are' ? 'am' : 'was';
    else if (word.lower === 'your' && (opinionNouns.has(next) || cairnYou.size > 0)) replacement = 'my';
    else if (word.lower in secondToFirst && cairnYou.size > 0 && word.lower !== 'your') replacement = secondToFirst[word.lower];
    else replacement = firstToSecond[word.lower];
    output += replacement === undefined ? word.text : matchCase(word.text, replacement, sentenceStart);
  });
  output += source.slice(cursor);
  return output;
}
