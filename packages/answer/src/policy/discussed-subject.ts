// What an earlier question was about, and the "it"/"that" of a follow-up resolved to it.
import { auxiliaries, baseVerbs, hasFiniteVerb, lowerFirst, plain, prepositions } from './text-tools.js';
import { partsOf } from './message-parts.js';
import { expandContractions, join, tokenise, type Token } from './question-tokens.js';
import { whWords } from './summary-lexicon.js';

/** Nouns too general to stand for what was discussed. */
const genericNouns = new Set(
  'time times thing things stuff way ways work help advice people everyone someone something anything everything more lot lots much one ones'.split(
    ' ',
  ),
);

/** Words in -s that are not plurals ("the on-call process", "our status"). */
const singularInS = /(?:ss|us|is|ics|news|series|ops|sales)$/;

/** Whether a noun phrase names many ("teams", "the career ladders"): "it", "that" and "this" do not stand for it. */
function namesMany(phrase: string): boolean {
  const last = phrase.split(/\s+/).at(-1) ?? '';
  // A name is one thing, however it ends ("Trunk and Branches", "Staff Archetypes").
  return /^[a-z].*[a-z]s$/.test(last) && !singularInS.test(last);
}

/** Nouns "it" and "that" rarely point back to: a person is "him", "her" or "them". */
const personNouns =
  /\b(?:manager|managers|lead|leads|engineer|engineers|report|reports|peer|peers|boss|ceo|cto|vp|director|person|people|someone|candidate|hire|him|her|them)$/i;

/**
 * Whether a phrase is a plain noun phrase "it" can stand for: a determiner, at most a few
 * modifiers and a noun, and no verb, participle or pronoun in it ("the career ladder", not
 * "actually goes", "other companies split this up" or "the managers reporting").
 */
function isNounPhrase(phrase: string): boolean {
  const words = phrase.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 6) return false;
  const determined = /^(?:the|a|an|my|our|this|that|their|his|her)$/.test(words[0]!);
  // Without a determiner, only a specific noun ("on-call", "tech debt"), not "time" or "things".
  if (!determined && (words.some((word) => genericNouns.has(word)) || baseVerbs.has(words[0]!))) return false;
  if (determined && words.length < 2) return false;
  if (hasFiniteVerb(words.join(' '))) return false;
  const rest = determined ? words.slice(1) : words;
  const last = rest.at(-1)!;
  if (/(?:ing|ly)$/.test(last) || personNouns.test(last)) return false;
  return rest.every(
    (word, index) =>
      !auxiliaries.has(word) &&
      !/^(?:i|we|you|it|they|them|him|her|me|us|this|that|these|those)$/.test(word) &&
      // A base verb inside is a clause ("companies split this up"), unless it ends the phrase as its noun ("the review").
      !(baseVerbs.has(word) && index < rest.length - 1 && !baseVerbs.has(rest[index + 1]!) && index > 0),
  );
}

/**
 * The noun phrase the earlier turn was about, in the user's own words ("our single infra
 * team of twelve", "a career ladder" as "the career ladder"): what a later "it" or "that"
 * points back to. Null when no plain noun phrase can be told: a follow-up is then read
 * with its pronouns as they are, never with a wrong phrase in their place.
 */
export function discussedSubject(previous: string, options: { fromStatements?: boolean } = {}): string | null {
  const { statements, questions } = partsOf(previous);
  const asked = questions[questions.length - 1];
  if (asked) {
    const tokens = tokenise(expandContractions(plain(asked).replace(/[?]+$/, '')));
    let index = 0;
    while (
      index < tokens.length &&
      (whWords.has(tokens[index]!.key) || prepositions.has(tokens[index]!.key) || /^(?:many|much|long)$/.test(tokens[index]!.key))
    )
      index += 1;
    while (index < tokens.length && (auxiliaries.has(tokens[index]!.key) || ['i', 'we', 'you'].includes(tokens[index]!.key))) index += 1;
    while (
      index < tokens.length &&
      (baseVerbs.has(tokens[index]!.key) || /ing$/.test(tokens[index]!.key) || ['to', 'about', 'go'].includes(tokens[index]!.key))
    )
      index += 1;
    const phrase: Token[] = [];
    for (let cursor = index; cursor < tokens.length && phrase.length < 6; cursor += 1) {
      const token = tokens[cursor]!;
      if (
        phrase.length > 0 &&
        (prepositions.has(token.key) || auxiliaries.has(token.key) || /^(?:that|which|who|so|but|or)$/.test(token.key))
      )
        break;
      if (token.key === 'and' && !/^[A-Z]/.test(tokens[cursor + 1]?.text ?? '')) break;
      phrase.push(token);
      if (/[,;:]$/.test(token.text)) break;
    }
    const found = join(phrase)
      .replace(/[,;:]$/, '')
      .replace(/^(?:a|an)\s/i, 'the ');
    if (isNounPhrase(found)) return lowerFirst(found);
  }
  if (options.fromStatements === false) return null;
  for (const statement of statements) {
    const match =
      /\b((?:my|our|the)\s+(?:[\w-]+\s+){0,3}?(?:team|org|organi[sz]ation|group|strategy|plan|ladder|process|meeting|project|migration|reorg|service|system|codebase|roadmap|monolith|platform)s?(?:\s+of\s+\w+)?)\b/i.exec(
        statement,
      );
    if (match && isNounPhrase(match[1]!)) return lowerFirst(match[1]!);
  }
  return null;
}

/** Replaces the "it"/"that" of a follow-up with what it points back to (never "them": that is usually people). */
export function resolveReferences(question: string, referent: string | null): string {
  // "It" stands for one thing: "3 of 12 teams use it" after "How do I get teams to adopt our tooling?" is not "use teams".
  if (!referent || namesMany(referent)) return question;
  const text = plain(question);
  const particle =
    /\b(?:it|that|this)\s+(out|up|in|over|off|back|down|through)\b(?=\s*(?:[?.!,;]|$|\b(?:to|with|for|on|at|without|if|when|so|before|after|across)\b))/i;
  if (particle.test(text)) return text.replace(particle, (_match, word: string) => `${word} ${referent}`);
  const object =
    /\b(for|about|with|on|into|to|do|start|handle|introduce|present|pitch|sell|frame|announce|explain|run|use|fix|apply|implement|measure|approach|communicate|share|change|adapt|make|get|write|structure|split|tell|keep|stop|scale|manage|support)\s+(it|that|this)\b(?=\s*(?:[?.!,;]|$|\b(?:to|with|for|in|on|at|without|if|when|so|before|after)\b))/i;
  if (object.test(text)) return text.replace(object, (_match, verb: string) => `${verb} ${referent}`);
  const subject =
    /^((?:and |but |so )?(?:does|did|will|would|can|could|should|is|was))\s+(it|that|this)\b(?!\s+(?:worth|normal|ok|okay|possible|true|a good idea|wise|fair|common|better|worse|too|enough)\b)/i;
  if (subject.test(text)) return text.replace(subject, (_match, aux: string) => `${aux} ${referent}`);
  return text;
}
