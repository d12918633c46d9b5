// Tokens of a question and the verb-finding the summary turns questions into clauses with.
import { toSecondPerson } from './second-person.js';
import { baseVerbs, determiners, prepositions } from './text-tools.js';
import { adverbs, subjectPronouns, subordinators } from './summary-lexicon.js';

export interface Token {
  text: string;
  key: string;
}

export function tokenise(clause: string): Token[] {
  return clause
    .split(/\s+/)
    .filter(Boolean)
    .map((text) => ({ text, key: text.toLowerCase().replace(/[^a-z0-9']/g, '') }));
}

export const join = (tokens: readonly Token[]): string => tokens.map((token) => token.text).join(' ');
/** Tokens of the user's words, said back in the second person. */
export const said = (tokens: readonly Token[]): string => toSecondPerson(join(tokens));

/** Expands "what's", "how's", "who's" so the auxiliary stands on its own. */
export function expandContractions(clause: string): string {
  return clause
    .replace(/^((?:\w+ )?(?:what|how|who|where|why|when|which|that|there|it))'s\b/i, '$1 is')
    .replace(/^((?:\w+ )?(?:what|how|who|where|why))'re\b/i, '$1 are');
}

/** The index of the verb after a subject that starts at `start`, found from a lexicon of base verbs. */
export function findVerb(tokens: readonly Token[], start: number): number {
  const isCandidate = (index: number): boolean => {
    const token = tokens[index];
    if (!token || !baseVerbs.has(token.key)) return false;
    // A verb never follows a determiner or a possessive directly ("the review process"), unless
    // that word is the whole subject ("does this keep happening"), nor "to" (an infinitive).
    const previous = tokens[index - 1]!.key;
    if (determiners.has(previous) && !(index - 1 === start && subjectPronouns.has(previous))) return false;
    return previous !== 'to';
  };
  const objectStart = (key: string | undefined): boolean =>
    key !== undefined && (determiners.has(key) || prepositions.has(key) || /^(?:it|them|him|her|me|us|you)$/.test(key));
  for (let index = start + 1; index < Math.min(tokens.length, start + 14); index += 1) {
    // A subordinate clause starts ("while…", "if…"): the main verb came before it, or it cannot be told.
    if (subordinators.has(tokens[index]!.key)) return -1;
    if (!isCandidate(index)) continue;
    // "my staff-level work matter…": a second verb-like word with its object is the verb, the first a noun.
    if (isCandidate(index + 1) && objectStart(tokens[index + 2]?.key)) return index + 1;
    return index;
  }
  return -1;
}

/** Words in -ing that are nouns in leaders' questions, never the participle of a progressive. */
export const ingNouns = new Set(
  'meeting meetings meaning thing things something anything everything nothing morning evening building setting funding training onboarding hiring planning offering ceiling string spring'.split(
    ' ',
  ),
);

/** The participle after a subject ("has that path looked like"), for a perfect-tense question. */
export const irregularParticiples = new Set(
  'been done gone made got gotten taken given seen known become come run led held kept left lost met paid put said sent set spent told thought understood won written built brought felt found heard'.split(
    ' ',
  ),
);
export function findParticiple(tokens: readonly Token[], start: number): number {
  for (let index = start + 1; index < Math.min(tokens.length, start + 10); index += 1) {
    const key = tokens[index]!.key;
    if (irregularParticiples.has(key) || (/(?:ed|en)$/.test(key) && key.length > 3 && !determiners.has(tokens[index - 1]!.key)))
      return index;
  }
  return -1;
}

/** Moves back over adverbs before the verb ("never actually settle"): where an auxiliary goes. */
export function beforeAdverbs(tokens: readonly Token[], verb: number, floor: number): number {
  let index = verb;
  while (index - 1 > floor && adverbs.has(tokens[index - 1]!.key)) index -= 1;
  return index;
}

/** The first word of `tokens` inflected by `form`. */
export function inflect(tokens: readonly Token[], form: (verb: string) => string): Token[] {
  const [first, ...rest] = tokens;
  if (!first) return [];
  return [{ text: form(first.key), key: form(first.key) }, ...rest];
}
