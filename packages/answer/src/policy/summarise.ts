import { toSecondPerson } from './second-person.js';
import {
  auxiliaries,
  baseVerbs,
  beForms,
  capitalise,
  determiners,
  hasFiniteVerb,
  isQuestionSentence,
  normaliseTyping,
  lowerFirst,
  modals,
  pastTense,
  plain,
  prepositions,
  splitSentences,
  thirdPerson,
} from './text-tools.js';
import { recogniseAssumptions } from './recognise-assumptions.js';
import type { ConversationContext } from './types.js';

const whWords = new Set(['how', 'what', 'why', 'when', 'where', 'which', 'who', 'whom', 'whose']);
const negativeAux: Record<string, string> = {
  "don't": 'do',
  "doesn't": 'does',
  "didn't": 'did',
  "isn't": 'is',
  "aren't": 'are',
  "wasn't": 'was',
  "weren't": 'were',
  "can't": 'can',
  "couldn't": 'could',
  "won't": 'will',
  "wouldn't": 'would',
  "shouldn't": 'should',
  "haven't": 'have',
  "hasn't": 'has',
};
const subjectPronouns = new Set([
  'it',
  'that',
  'this',
  'there',
  'he',
  'she',
  'they',
  'someone',
  'everyone',
  'anyone',
  'one',
  'these',
  'those',
]);
const subordinators = new Set([
  'while',
  'when',
  'whenever',
  'if',
  'because',
  'although',
  'though',
  'until',
  'unless',
  'since',
  'so',
  'once',
  'whereas',
]);
const adverbs = new Set([
  'never',
  'actually',
  'always',
  'still',
  'really',
  'just',
  'even',
  'ever',
  'usually',
  'already',
  'quietly',
  'ultimately',
  'also',
]);
/** Words after which the subject of "is/are" has ended ("is it normal…", "are my expectations too high"). */
const complementStarts = new Set([
  'too',
  'so',
  'very',
  'not',
  'always',
  'still',
  'really',
  'actually',
  'ever',
  'enough',
  'normal',
  'worth',
  'ok',
  'okay',
  'possible',
  'fair',
  'true',
  'common',
  'wise',
  'reasonable',
  'the',
  'a',
  'an',
  'better',
  'worse',
  'good',
  'bad',
  'necessary',
  'realistic',
  'unusual',
  'typical',
  'healthy',
  'wrong',
  'right',
]);
const imperatives = new Set([
  'write',
  'review',
  'fix',
  'debug',
  'generate',
  'draft',
  'help',
  'give',
  'tell',
  'explain',
  'show',
  'describe',
  'walk',
  'list',
  'suggest',
  'recommend',
  'compare',
  'summarise',
  'summarize',
  'outline',
  'define',
  'share',
  'teach',
  'remind',
  'clarify',
]);

interface Token {
  text: string;
  key: string;
}

function tokenise(clause: string): Token[] {
  return clause
    .split(/\s+/)
    .filter(Boolean)
    .map((text) => ({ text, key: text.toLowerCase().replace(/[^a-z0-9']/g, '') }));
}

const join = (tokens: readonly Token[]): string => tokens.map((token) => token.text).join(' ');
/** Tokens of the user's words, said back in the second person. */
const said = (tokens: readonly Token[]): string => toSecondPerson(join(tokens));

/** Expands "what's", "how's", "who's" so the auxiliary stands on its own. */
function expandContractions(clause: string): string {
  return clause
    .replace(/^((?:\w+ )?(?:what|how|who|where|why|when|which|that|there|it))'s\b/i, '$1 is')
    .replace(/^((?:\w+ )?(?:what|how|who|where|why))'re\b/i, '$1 are');
}

/** The index of the verb after a subject that starts at `start`, found from a lexicon of base verbs. */
function findVerb(tokens: readonly Token[], start: number): number {
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
const ingNouns = new Set(
  'meeting meetings meaning thing things something anything everything nothing morning evening building setting funding training onboarding hiring planning offering ceiling string spring'.split(
    ' ',
  ),
);

/** The participle after a subject ("has that path looked like"), for a perfect-tense question. */
const irregularParticiples = new Set(
  'been done gone made got gotten taken given seen known become come run led held kept left lost met paid put said sent set spent told thought understood won written built brought felt found heard'.split(
    ' ',
  ),
);
function findParticiple(tokens: readonly Token[], start: number): number {
  for (let index = start + 1; index < Math.min(tokens.length, start + 10); index += 1) {
    const key = tokens[index]!.key;
    if (irregularParticiples.has(key) || (/(?:ed|en)$/.test(key) && key.length > 3 && !determiners.has(tokens[index - 1]!.key)))
      return index;
  }
  return -1;
}

/** Moves back over adverbs before the verb ("never actually settle"): where an auxiliary goes. */
function beforeAdverbs(tokens: readonly Token[], verb: number, floor: number): number {
  let index = verb;
  while (index - 1 > floor && adverbs.has(tokens[index - 1]!.key)) index -= 1;
  return index;
}

/** The first word of `tokens` inflected by `form`. */
function inflect(tokens: readonly Token[], form: (verb: string) => string): Token[] {
  const [first, ...rest] = tokens;
  if (!first) return [];
  return [{ text: form(first.key), key: form(first.key) }, ...rest];
}

/**
 * An inverted question turned into an embedded clause, from the auxiliary on:
 * "should I split a team" → "to split a team" (with `wh`) or "whether to split a team";
 * "does Technical Coherence work" → "Technical Coherence works"; "is that a problem" →
 * "that is a problem". Null when the subject cannot be told from the verb.
 */
function embedInverted(auxToken: Token, rest: readonly Token[], wh: string): string | null {
  const negated = negativeAux[auxToken.key];
  const aux = negated ?? auxToken.key;
  const subject = rest[0];
  if (!subject) return null;
  const afterSubject = rest.slice(1);
  const why = wh === 'why';

  // The user as subject: I or we.
  if (subject.key === 'i' || subject.key === 'we') {
    if (negated) return `you ${auxToken.key} ${said(afterSubject)}`;
    // "Should I?" after a statement: whether you should.
    if (afterSubject.length === 0 && modals.has(aux) && wh === 'whether') return `you ${aux}`;
    if (['should', 'can', 'do', 'shall'].includes(aux)) {
      if (afterSubject.length === 0) return null;
      // "What do I need to learn" is what you need to learn, not "what to need to learn".
      if (aux === 'do' && /^(?:need|want|have|like|mean|expect|owe|wish|hope)$/.test(afterSubject[0]!.key))
        return `you ${said(afterSubject)}`;
      if (why) return `you ${aux === 'do' ? '' : `${aux} `}${said(afterSubject)}`.replace(/\s+/g, ' ');
      return wh === 'whether' && aux === 'can' ? `you can ${said(afterSubject)}` : `to ${said(afterSubject)}`;
    }
    if (aux === 'did') {
      const verb = afterSubject[0];
      if (!verb || !baseVerbs.has(verb.key)) return null;
      return `you ${said(inflect(afterSubject, pastTense))}`;
    }
    if (beForms.has(aux)) return `${aux === 'was' || aux === 'were' ? 'you were' : "you're"} ${said(afterSubject)}`.trim();
    return `you ${aux === 'am' ? 'are' : aux} ${said(afterSubject)}`.trim();
  }

  // "you": Cairn when asked for an opinion, else the generic "you" of a how-to question.
  if (subject.key === 'you') {
    const opinion = afterSubject[0] && ['think', 'recommend', 'suggest', 'advise', 'believe', 'reckon'].includes(afterSubject[0].key);
    if (aux === 'would' || aux === 'will' || opinion)
      return `I ${aux === 'do' ? '' : `${aux} `}${toSecondPerson(join(afterSubject))}`.replace(/\s+/g, ' ');
    if (['should', 'can', 'do'].includes(aux) && !why && !negated) return `to ${said(afterSubject)}`;
    return `you ${auxToken.key === 'do' ? '' : `${auxToken.key} `}${said(afterSubject)}`.replace(/\s+/g, ' ');
  }

  // Any other subject.
  if (beForms.has(aux)) {
    const be = negated ? auxToken.key : aux;
    if (subjectPronouns.has(subject.key)) return `${said([subject])} ${be} ${said(afterSubject)}`.trim();
    // "Who is right?", "What is wrong?": the wh-word is the subject of a short complement; the order stays.
    if (
      (wh === 'who' || wh === 'what' || wh === 'which') &&
      rest.length <= 2 &&
      /^(?:right|wrong|missing|best|better|worse|worst|true|next|normal|fair|important|likely|happening|responsible|accountable|to blame)$/.test(
        subject.key,
      )
    )
      return `${be} ${said(rest)}`;
    // A progressive ("is the team settling in"): "is" goes before the participle that follows a short subject.
    const participle = rest.findIndex(
      (token, index) =>
        index > 0 &&
        index <= 3 &&
        /ing$/.test(token.key) &&
        token.key.length > 4 &&
        // "the meaning", "our planning": a noun after a determiner, not a participle.
        !determiners.has(rest[index - 1]!.key) &&
        !ingNouns.has(token.key) &&
        !['and', 'or', 'to'].includes(rest[index - 1]!.key) &&
        !prepositions.has(rest[index - 1]!.key),
    );
    let split = participle;
    // "What is the right way to…": the rest is the subject, and "is" goes last.
    if (split < 0 && (wh === 'what' || wh === 'which' || wh === 'who')) return `${said(rest)} ${be}`;
    // A gerund's own object ("staying an IC") is not where the complement starts.
    const gerund = /ing$/.test(subject.key);
    if (split < 0) split = rest.findIndex((token, index) => index > (gerund ? 1 : 0) && complementStarts.has(token.key));
    if (split < 0) return null;
    return `${said(rest.slice(0, split))} ${be} ${said(rest.slice(split))}`;
  }
  if (aux === 'do' && !negated) return said(rest);
  if (aux === 'has' || aux === 'have' || aux === 'had') {
    const participleAt = findParticiple(rest, 0);
    if (participleAt < 0) return null;
    const at = beforeAdverbs(rest, participleAt, 0);
    return `${said(rest.slice(0, at))} ${auxToken.key} ${said(rest.slice(at))}`;
  }
  const verb = findVerb(rest, 0);
  if (verb < 0) return null;
  const at = beforeAdverbs(rest, verb, 0);
  const subjectPart = said(rest.slice(0, at));
  const between = rest.slice(at, verb);
  const verbAndRest = rest.slice(verb);
  if (negated || aux === 'do') return `${subjectPart} ${auxToken.key} ${said([...between, ...verbAndRest])}`.replace(/\s+/g, ' ');
  if (aux === 'does') return `${subjectPart} ${said([...between, ...inflect(verbAndRest, thirdPerson)])}`.replace(/\s+/g, ' ');
  if (aux === 'did') return `${subjectPart} ${said([...between, ...inflect(verbAndRest, pastTense)])}`.replace(/\s+/g, ' ');
  if (modals.has(aux) || aux === 'has' || aux === 'have' || aux === 'had')
    return `${subjectPart} ${aux} ${said([...between, ...verbAndRest])}`.replace(/\s+/g, ' ');
  return null;
}

/**
 * One question clause as an embedded clause the summary can carry: "How should I size my
 * team" → "how to size your team", "Should we merge it with another team" → "whether to
 * merge it with another team", "What is the Trunk and Branches model" → "what the Trunk and
 * Branches model is", "Can you explain stocks and flows" → "you'd like me to explain stocks
 * and flows". Null when the clause's structure is not one it can turn safely.
 */
export function embedQuestion(clause: string): string | null {
  let text = expandContractions(
    plain(clause)
      .replace(/[?!.]+$/, '')
      .trim(),
  );
  text = text.replace(/^(?:so|and|but|ok|okay|also|then|honestly|basically|well|please|hi|hey|just|actually)\b,?\s*/i, '');
  text = text.replace(/^(?:so|and|but|also|then),?\s*/i, '');
  const tokens = tokenise(text);
  const first = tokens[0];
  if (!first) return null;

  const difference = /^what (?:is|are) the (difference|distinction|relationship|link|trade-?offs?) between (.+)$/i.exec(text);
  if (difference) return `the ${difference[1]!.toLowerCase()} between ${toSecondPerson(difference[2]!)}`;

  // "What about X?", "How about X?": a new subject within the same conversation.
  const about = /^(?:what|how) about (.+)$/i.exec(text);
  if (about) return `about ${toSecondPerson(about[1]!)}`;
  if (/^(?:(?:so )?what now|now what|what next|what then)$/i.test(text)) return 'what to do now';
  const whatIf = /^what if (.+)$/i.exec(text);
  if (whatIf) return `what happens if ${lowerFirst(toSecondPerson(whatIf[1]!))}`;
  const advice = /^any (?:advice|tips|thoughts|ideas|suggestions|pointers)(?: (?:on|for|about) (.+))?$/i.exec(text);
  if (advice) return advice[1] ? `you'd like advice on ${toSecondPerson(advice[1])}` : "you'd like advice";
  const view = /^(?:any )?(?:thoughts|opinions?|views?|your take) on (.+)$/i.exec(text);
  if (view) return `you'd like my view on ${lowerFirst(toSecondPerson(view[1]!))}`;
  // A one-word ask: "Thoughts?", "Ideas?", "Help?".
  if (/^(?:thoughts|opinions?|wdyt|what do you think|your (?:take|view|thoughts))$/i.test(text)) return "you'd like my view";
  if (/^(?:ideas|advice|suggestions|tips|pointers)$/i.test(text)) return "you'd like ideas";
  if (/^help(?: me)?$/i.test(text)) return "you'd like help";

  // A request to Cairn: "Can you explain…", "Could you help me…".
  const requestVerb = /^(?:recommend|suggest|explain|help|walk|give|tell|share|show|describe|outline|summari[sz]e|list|compare|clarify)$/;
  if (
    tokens.length > 2 &&
    tokens[1]!.key === 'you' &&
    (['can', 'could', 'will'].includes(first.key) || (first.key === 'would' && requestVerb.test(tokens[2]!.key)))
  ) {
    return `you'd like me to ${toSecondPerson(join(tokens.slice(2)))}`;
  }
  // An imperative: "Give me an example…", "Help me think through…".
  if (imperatives.has(first.key)) {
    const request = toSecondPerson(join(tokens));
    return `you'd like me to ${request.charAt(0).toLowerCase()}${request.slice(1)}`;
  }

  // Yes/no questions: "Should I…", "Is it…", "Does X…".
  if (auxiliaries.has(first.key) || first.key in negativeAux) {
    const embedded = embedInverted(first, tokens.slice(1), 'whether');
    return embedded ? `whether ${embedded}` : null;
  }

  // Wh-questions: the wh-phrase runs up to the auxiliary ("how many engineers should…").
  const start = prepositions.has(first.key) && whWords.has(tokens[1]?.key ?? '') ? 1 : 0;
  if (!whWords.has(tokens[start]?.key ?? '')) return null;
  const wh = tokens[start]!.key;
  let auxIndex = -1;
  for (let index = start + 1; index < Math.min(tokens.length, start + 8); index += 1) {
    const key = tokens[index]!.key;
    if (auxiliaries.has(key) || key in negativeAux) {
      auxIndex = index;
      break;
    }
    // "what plans…", "which changes…": a word right after "what" or "which" is a noun.
    if (['what', 'which', 'whose'].includes(tokens[index - 1]!.key)) continue;
    // A verb before any auxiliary: the wh-word is the subject ("which book gives…", "who decides…", "what went wrong").
    const asVerb = (word: string): boolean => baseVerbs.has(word);
    if (
      asVerb(key) ||
      (key.endsWith('es') && asVerb(key.slice(0, -2))) ||
      (key.endsWith('s') && asVerb(key.slice(0, -1))) ||
      /ed$/.test(key) ||
      ['went', 'made', 'got', 'took', 'gave', 'kept'].includes(key)
    )
      break;
  }
  const phrase = lowerFirst(said(tokens.slice(0, auxIndex < 0 ? start + 1 : auxIndex)));
  // "Why such a big reaction?": no verb to build a clause around; it is asked back as it is.
  if (auxIndex < 0) return hasFiniteVerb(join(tokens.slice(start + 1))) ? lowerFirst(said(tokens)) : null;
  // "What is missing", "What is going on": the wh-word is the subject; keep the order.
  const next = tokens[auxIndex + 1];
  if (
    beForms.has(tokens[auxIndex]!.key) &&
    (!next || /(?:ing|ed)$/.test(next.key) || ['wrong', 'missing', 'happening', 'up'].includes(next.key))
  ) {
    return lowerFirst(said(tokens));
  }
  // "What might be going on", "how many engineers should report to…": the wh-phrase is the subject.
  const perfect = ['has', 'have', 'had'].includes(tokens[auxIndex]!.key);
  const verbAfter =
    next &&
    ((baseVerbs.has(next.key) && !determiners.has(next.key)) || (perfect && (irregularParticiples.has(next.key) || /ed$/.test(next.key))));
  const oneWord = auxIndex === start + 1;
  if (
    verbAfter &&
    (!oneWord || perfect || ['be', 'happen', 'go', 'change', 'matter', 'have'].includes(next.key)) &&
    !beForms.has(tokens[auxIndex]!.key)
  ) {
    return lowerFirst(said(tokens));
  }
  const embedded = embedInverted(tokens[auxIndex]!, tokens.slice(auxIndex + 1), wh);
  if (!embedded) return null;
  return `${phrase} ${embedded}`.replace(/\s+/g, ' ');
}

/** Splits "Is that a problem, and what should I do about it" into its questions. */
function questionClauses(sentence: string): string[] {
  return sentence
    .replace(/[?]+$/, '')
    .split(
      /,?\s+(?:and|or|but)\s+(?=(?:if so,?\s+)?(?:what|how|why|when|where|which|who|should|is|are|do|does|can|could|would|at what|in what)\b)|,\s+(?=(?:what|how|why|should)\b)/i,
    )
    .map((clause) => clause.replace(/^if so,?\s+/i, '').trim())
    .filter(Boolean);
}

/** "Using the BICEPS core needs, how should I…": a framing phrase before the question. */
const framing =
  /^((?:using|in|as|with|for|given|from|under|within|at|based on|according to|if|when|once|now that|given that|beyond|besides|apart from|aside from|other than|outside(?: of)?|instead of|rather than|after|before|during)\b[^,?]{2,60}),\s*(?=(?:how|what|why|when|where|which|who|should|is|are|can|could|do|does)\b)(.+)$/i;

/** A question sentence as an embedded clause ("whether that is a problem and what to do about it"), or null. */
function embedSentence(sentence: string): string | null {
  const text = plain(sentence).replace(/^(?:so|and|but|ok|okay|also|then|honestly|basically|well|please|hi|hey|just|actually)\b,?\s*/i, '');
  const framed = framing.exec(text);
  if (framed) {
    const inner = embedSentence(framed[2]!);
    const frame = toSecondPerson(framed[1]!);
    return inner ? `${inner}, ${frame.charAt(0).toLowerCase()}${frame.slice(1)}` : null;
  }
  const clauses = questionClauses(text).map(embedQuestion);
  if (clauses.some((clause) => clause === null)) return null;
  const parts = clauses as string[];
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Assumptions a summary reports as the user's view, never as a fact Cairn states. */
const viewKinds = new Set(['hire_more', 'velocity_slow', 'rewrite', 'reorg_fixes', 'arbitrary_ratio', 'individual_metrics']);
const noFacts: ConversationContext = {
  size: undefined,
  sizes: [],
  stage: undefined,
  role: undefined,
  constraints: [],
  tried: [],
  people: [],
  earlierQuestions: [],
  earlierAnswers: [],
};

/** A statement that already reports a view, the user's or someone else's ("your CEO says…", "you're leaning towards…"). */
const reportsView =
  /^you(?:'re| are) (?:leaning|thinking|considering|planning|tempted|inclined|convinced|sure|not sure)\b|^you (?:think|believe|feel|say|suspect|want|plan|wonder)\b|\b(?:says?|said|saying|insists?|insisting|claims?|claiming|thinks?|believes?|argues?|arguing|keeps? telling)\b/i;

/** "New CTO here", "EM here (series B)": the user's role, said without a subject. */
const roleHere =
  /^(?:(?:a |the )?(?:new|newly promoted|first-time|recently promoted) )?(?:cto|vp(?: of)?(?: eng(?:ineering)?)?|vpe|director(?: of engineering)?|engineering manager|em|eng manager|manager|tech lead|team lead|staff engineer|principal engineer|head of engineering|founder)\b(?: here\b)?/i;

/** A participle or gerund opening a statement with no subject: "Starting as VP Eng…", "Just got promoted…". */
function withSubject(statement: string): string {
  if (roleHere.test(statement) && !hasFiniteVerb(statement))
    return `you're a ${statement.replace(/^(?:a|the)\s+/i, '').replace(/\s+here\b/i, '')}`;
  const words = statement.split(/\s+/);
  const adverb = /^(?:just|recently|finally|also|still)$/i.test(words[0] ?? '') ? 1 : 0;
  const first = (words[adverb] ?? '').toLowerCase();
  const second = (words[adverb + 1] ?? '').toLowerCase();
  const base = first.replace(/ing$/, '');
  const isGerund =
    /ing$/.test(first) &&
    (baseVerbs.has(base) || baseVerbs.has(`${base}e`) || baseVerbs.has(base.slice(0, -1))) &&
    !auxiliaries.has(second);
  if (adverb === 0 && isGerund) return `you're ${statement.charAt(0).toLowerCase()}${statement.slice(1)}`;
  if (first === 'been') return `you've ${lowerFirst(statement)}`;
  if (
    /^(?:not sure|not convinced|unsure|stuck|worried|tired|confused)$/.test(`${first} ${second}`.trim()) ||
    /^(?:unsure|stuck|worried|confused)$/.test(first)
  )
    return `you're ${statement.charAt(0).toLowerCase()}${statement.slice(1)}`;
  if (/^(?:don't|can't|won't|didn't|need|want|have|feel|hope|wonder|worry|think|keep)$/.test(first) && adverb === 0)
    return `you ${statement.charAt(0).toLowerCase()}${statement.slice(1)}`;
  if (/^(?:got|became|joined|started|inherited|took|moved|switched|landed)$/.test(first)) return `you ${lowerFirst(statement)}`;
  return statement;
}

/**
 * A statement of the user's, in the second person and without its closing stop. A claim
 * the persona challenges stays the user's ("You think you need to hire…", "You say velocity
 * is slow…"), so the summary never endorses it; a fragment with no verb ("team too slow")
 * is quoted as the user put it rather than made into a broken sentence.
 */
function statementOf(sentence: string): string {
  const cleaned = sentence.replace(
    /^(?:(?:hi|hello|hey|thanks|thank you|actually|ok|okay|so|also|well|right|honestly|basically|fine)\b[,!.]*\s*)+/i,
    '',
  );
  if (
    !hasFiniteVerb(cleaned) &&
    !/^(?:just |recently )?(?:starting|moving|taking|joining|managing|leading|running)\b/i.test(cleaned) &&
    !roleHere.test(cleaned)
  ) {
    const fragment = plain(cleaned).replace(/[\s.!;:,]+$/, '');
    return fragment ? `you put it as "${lowerFirst(fragment)}"` : '';
  }
  const statement = withSubject(
    toSecondPerson(cleaned)
      .replace(/[\s.!;:,]+$/, '')
      .trim(),
  );
  if (!statement || !recogniseAssumptions(sentence, noFacts).some((assumption) => viewKinds.has(assumption.kind))) return statement;
  if (/^you (?:need|have to|must|should|ought to|'ll have to|will have to)\b/i.test(statement)) return `you think ${lowerFirst(statement)}`;
  if (reportsView.test(statement)) return statement;
  return `you say that ${lowerFirst(statement)}`;
}

/** A sentence without a question mark that still asks something ("What should I do about it"). */
const unmarkedQuestion =
  /^(?:(?:and|so|but|ok|okay|also|then|anyway|honestly),?\s+)*(?:how|what|whats|hows|why|when|where|which|who|should|can|could|would|do|does|is|are|any (?:advice|tips|thoughts|ideas|suggestions))\b/i;

/** Words that alone make a message and carry nothing to summarise: "haha ok.", "Fine.", "Fair enough." */
const interjection =
  /^(?:(?:haha+|hah|lol|ok(?:ay)?|k|fine|sure|right|alright|all right|cool|great|thanks|thank you|thx|got it|fair enough|makes sense|hm+|um+|yes|yeah|yep|no|nope|oh|ah|wow|sorry|hi|hello|hey|understood|noted|then|quick (?:one|q|question)|question)[\s,.!-]*)+$/i;

/** A lead-in before the real message: "real question:", "ok, back to work:", "actually, a different question:". */
const leadIn =
  /^(?:(?:ok(?:ay)?|so|actually|also|and|but|anyway|alright|right|haha+|lol|fine|sorry|now|hi|hey|hello)[,.!]?\s+)*(?:(?:a |one |my )?(?:real|serious|quick|different|new|another|last|follow-?up|related|side|dumb|silly|honest|separate) (?:question|thing|topic)|one more thing|back to work|changing (?:the )?subject|on (?:a |another )?(?:different|separate|related) note|on another note|long story short|tl;?dr|(?:some |a bit of |quick )?(?:context|background))\s*[:,.!-]\s*/i;

/** The user hands the choice to Cairn: "You pick", "Make the call for me", "I'll go with whatever you say". */
const delegation =
  /^(?:(?:please|just|ok(?:ay)?|so|honestly),?\s+)*(?:you (?:pick|decide|choose)\b|(?:make|take) the (?:call|decision) for me\b|(?:decide|pick|choose)(?: one)? for me\b|just (?:pick|choose) one\b|(?:i'?m|i am|i'?ll|i will) (?:just )?(?:go(?:ing)? with|do(?:ing)?) whatever you\b|it'?s your call\b|your call\b|i trust your (?:judge?ment|call)\b)/i;

/** "Just tell me: should we…?": a request for a verdict, said before the question it is about. */
const tellMe =
  /^(?:(?:please|just|so|ok(?:ay)?),?\s+)*(?:tell me|be honest(?: with me)?|honestly|be straight(?: with me)?|(?:give me )?(?:a )?straight answer|no fluff|real talk)\s*[:,-]\s*(?=\S)/i;

/** "Option A: organise by product. Option B: organise by platform." */
const labelledOptions =
  /\boption (?:a|1|one)\s*[:)-]\s*([^.?!;]{3,80}?)\s*[.;,]\s*(?:or\s+)?option (?:b|2|two)\s*[:)-]\s*([^.?!;]{3,80}?)\s*(?:[.?!;]|$)/i;

/** A clause that asks, after a comma ("…, where do i even start"). */
const trailingQuestion =
  /,\s+((?:and |so |but )?(?:how|what|why|where|which|who|should|can|could|do|does|is|are|any (?:advice|tips|thoughts|ideas))\b[^,]{3,}?)\s*[.!]?$/i;
/** The same, ending in its question mark ("I trust your view more than mine, should we delay?"). */
const trailingMarkedQuestion =
  /,\s+((?:and |so |but )?(?:how|what|why|where|which|who|should|can|could|do|does|is|are|would|will)\b[^,]{3,}?\?)\s*$/i;
const subordinateStart =
  /^(?:when|if|once|as|while|because|since|after|before|now that|given|although|though|unless|until|with|without|for|in|\w+ing|based on|according to|beyond|besides|apart from|aside from|other than|outside|instead of|rather than|during)\b/i;

interface Parts {
  statements: string[];
  questions: string[];
  /** The user asked Cairn to make the choice. */
  delegated: boolean;
  /** The questions were put as "tell me: …". */
  tellMe: boolean;
  /** The user asked before telling ("Should I fire my tech lead? He keeps…"): the summary keeps that order. */
  questionFirst: boolean;
}

function partsOf(text: string): Parts {
  const statements: string[] = [];
  const questions: string[] = [];
  let delegated = false;
  let told = false;
  let questionFirst = false;
  let rest = text;
  const options = labelledOptions.exec(rest);
  if (options) {
    statements.push(`I'm weighing two options: ${lowerFirst(options[1]!.trim())}, or ${lowerFirst(options[2]!.trim())}.`);
    rest = `${rest.slice(0, options.index)} ${rest.slice(options.index + options[0].length)}`;
  }
  const sentences = splitSentences(rest);
  const anyMarked = sentences.some(isQuestionSentence);
  sentences.forEach((raw, index) => {
    const last = index === sentences.length - 1;
    let sentence = raw.replace(leadIn, '').trim();
    if (!sentence || interjection.test(sentence)) return;
    const delegating = delegation.exec(sentence);
    if (delegating) {
      delegated = true;
      // "You decide: do I promote Priya or Sam?": the question after the hand-over stays.
      const after = sentence
        .slice(delegating[0].length)
        .replace(/^[^:]*$/, '')
        .replace(/^\s*:\s*/, '');
      if (!after || !isQuestionSentence(after)) return;
      sentence = after;
    }
    const verdict = tellMe.exec(sentence);
    if (verdict && isQuestionSentence(sentence)) {
      told = true;
      sentence = sentence.slice(verdict[0].length);
    }
    const request =
      /^(?:please\s+|just\s+)?(?:help|give|tell|explain|show|describe|walk|suggest|recommend|compare|outline|define|teach|remind|clarify|write|draft|review)\s+(?:me|us)\b|^(?:please\s+)?(?:explain|describe|compare|outline|define|summari[sz]e|list|write|review|fix|debug|generate|draft)\b|^(?:help|thoughts|ideas|advice|opinions?|suggestions|tips|wdyt)\s*[?!.]*$/i;
    // "I trust your view more than mine, should we delay the launch?": a statement, then the question after its comma.
    const marked = isQuestionSentence(sentence) && !unmarkedQuestion.test(sentence) ? trailingMarkedQuestion.exec(sentence) : null;
    if (marked && !subordinateStart.test(sentence) && hasFiniteVerb(sentence.slice(0, marked.index))) {
      if (statements.length === 0) questionFirst = false;
      statements.push(sentence.slice(0, marked.index));
      questions.push(marked[1]!.replace(/^(?:and|so|but)\s+/i, ''));
      return;
    }
    if (isQuestionSentence(sentence) || request.test(sentence) || (!anyMarked && last && unmarkedQuestion.test(sentence))) {
      // "tell me whether to promote Sam, I trust your judgement more than mine": a statement spliced on with a comma.
      const splice = isQuestionSentence(sentence) ? null : /,\s+(?=(?:i|we|i'm|we're|i've|we've)\s+\S+\s+\S+)/i.exec(sentence);
      if (splice && hasFiniteVerb(sentence.slice(splice.index + 1))) {
        statements.push(sentence.slice(splice.index + splice[0].length));
        sentence = sentence.slice(0, splice.index);
      }
      if (statements.length === 0) questionFirst = true;
      questions.push(sentence.replace(/^(?:(?:and|so|but|ok|okay|also|then|anyway|honestly),?\s+)+/i, ''));
      return;
    }
    // "I have no idea where to begin, where do i even start": the question rides at the end of a statement.
    const trailing = !anyMarked && last ? trailingQuestion.exec(sentence) : null;
    if (trailing && !subordinateStart.test(sentence) && hasFiniteVerb(sentence.slice(0, trailing.index))) {
      statements.push(sentence.slice(0, trailing.index));
      questions.push(trailing[1]!.replace(/^(?:and|so|but)\s+/i, ''));
      return;
    }
    statements.push(sentence);
  });
  return { statements, questions, delegated, tellMe: told, questionFirst: questionFirst && statements.length > 0 };
}

/** Keeps the summary short: statements up to about forty-five words, the first always. */
function keptStatements(statements: readonly string[]): string[] {
  const kept: string[] = [];
  let words = 0;
  for (const statement of statements) {
    const length = statement.split(/\s+/).length;
    if (kept.length > 0 && words + length > 45) break;
    kept.push(statement);
    words += length;
  }
  return kept;
}

/** Nouns too general to stand for what was discussed. */
const genericNouns = new Set(
  'time times thing things stuff way ways work help advice people everyone someone something anything everything more lot lots much one ones'.split(
    ' ',
  ),
);

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
  if (!referent) return question;
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

/** "you're asking should you…", a direct question after a statement: the shapes a summary must never take. */
export const ungrammaticalSummary =
  /\byou(?:'re| are) asking (?:should|how should|what should|can|do|does|is|are) you\b|\byou want to know (?:should|can|do|does|is|are|how should|what should) |\bwant to know (?:you(?:'d| would) like|you ask)\b/i;

const summaryAuxiliary = String.raw`(?:should|shall|can|could|would|will|do|does|did|is|are|am|was|were|have|has|had|must|may|might)`;
const summarySubject = String.raw`(?:you|i|we|they|he|she|it|your|my|our|their|the|this|that|these|those|there|a|an)`;
/** A clause in a direct question's word order: "should you…", "how do you…". */
const directOrder = new RegExp(
  String.raw`^(?:(?:how|what|why|when|where|which|who)(?:\s+\w+)?\s+${summaryAuxiliary}(?:n't)?\s+${summarySubject}\b|${summaryAuxiliary}(?:n't)?\s+${summarySubject}\b)`,
  'i',
);

/**
 * Whether a summary reads wrong: an ungrammatical shape, or a clause in a direct question's
 * order inside a sentence that ends with a full stop ("…, how do you fix that.").
 */
function readsWrong(summary: string): boolean {
  if (ungrammaticalSummary.test(summary)) return true;
  return splitSentences(summary).some((sentence) => {
    if (isQuestionSentence(sentence)) return false;
    const clauses = sentence.split(
      /[,:;]\s+|\s+(?:and|but|so)\s+(?=(?:how|what|why|when|where|which|who|should|can|could|do|does|is|are)\b)/i,
    );
    return clauses.slice(1).some((clause) => directOrder.test(clause.replace(/^["“]/, '').trim()));
  });
}

/** Runs of this many words in a row of an earlier turn, said again, read as that turn pasted in. */
const pastedRun = 6;
const comparable = (text: string): string[] =>
  (
    toSecondPerson(text)
      .toLowerCase()
      .replace(/’/g, "'")
      .match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []
  ).map((word) => word);
function sharesRun(text: string, earlier: string): boolean {
  const words = comparable(earlier);
  const runs = new Set<string>();
  for (let index = 0; index + pastedRun <= words.length; index++) runs.add(words.slice(index, index + pastedRun).join(' '));
  const own = comparable(text);
  for (let index = 0; index + pastedRun <= own.length; index++) if (runs.has(own.slice(index, index + pastedRun).join(' '))) return true;
  return false;
}

export interface SummaryOptions {
  /** What the earlier question was about, for a reply that only adds facts ("career development"). */
  earlierTopic?: string | undefined;
}

/**
 * What Cairn understood, in the second person, written from the question rather than by
 * swapping pronouns: statements come back as statements ("You're about to become a
 * director of six teams…"), and the question as an embedded clause ("…, and you want to
 * know how to use that with your managers."), or as a question when its structure cannot
 * be turned safely ("…, and you ask: why are your engineers unhappy?"). A follow-up (with
 * `previous`, the question it follows) states the new question in the light of the earlier
 * one, with "it"/"that" resolved only where a plain noun phrase was discussed, and never
 * glues the turns together. Every summary is checked before it is used: one that would read
 * as a direct question with a full stop falls back to asking the question back.
 */
export function summarise(question: string, _context: ConversationContext, previous?: string, options: SummaryOptions = {}): string {
  // Only a phrase the earlier question asked about stands in for "it": a noun from its statements is too often the wrong one.
  const referent = previous ? discussedSubject(previous, { fromStatements: false }) : null;
  const typed = normaliseTyping(question);
  const resolved = previous ? resolveReferences(typed, referent) : plain(typed);
  const parts = partsOf(resolved);
  const { statements, questions } = parts;
  const told = keptStatements(statements).map(statementOf).filter(Boolean);
  const embedded = questions.map(embedSentence);
  const now = previous ? 'now ' : '';

  let asked: string | null = null;
  if (questions.length > 0 && embedded.every((clause) => clause !== null)) {
    const clauses = embedded as string[];
    const body = clauses.join(', and ');
    if (/^you(?:'d| would) like\b/.test(body)) asked = body;
    else if (parts.tellMe) asked = `you'd like me to tell you ${body.replace(/^you want to know /, '')}`;
    else if (parts.delegated && /^whether\b/.test(body)) asked = `you'd like me to decide ${body}`;
    else asked = `you ${now}want to know ${body}`;
  } else if (questions.length > 0) {
    asked = askedBack(questions);
  } else if (parts.delegated) {
    asked = "you'd like me to make the call";
  }

  const compose = (asking: string | null): string => {
    if (told.length === 0 && asking) return finish(capitalise(asking));
    if (told.length > 0 && asking && parts.questionFirst)
      return finish(`${capitalise(asking)}${/\?$/.test(asking) ? '' : '.'} ${told.map(capitalise).join('. ')}`);
    if (told.length > 0 && asking) {
      const opening = told.map(capitalise);
      const last = opening.pop()!;
      const prefix = opening.length > 0 ? `${opening.join('. ')}. ` : '';
      // A long statement, or one already joined by "and", takes the question as a sentence of its own.
      if (last.split(/\s+/).length > 22 || /,\s+and\s/.test(last) || /"$/.test(last))
        return finish(`${prefix}${last}. ${capitalise(asking)}`);
      return finish(`${prefix}${last}, and ${asking}`);
    }
    // Only statements: a reply to Cairn's questions, or a situation told without a question.
    const body = told.map(capitalise).join('. ');
    if (previous) {
      const standing = partsOf(resolveReferences(previous, referent)).questions.map(embedSentence);
      const earlier = standing.length > 0 && standing.every((clause) => clause !== null) ? (standing as string[]).join(', and ') : null;
      // The earlier question said again in its own words would paste that turn in: name what it was about instead.
      if (earlier && !sharesRun(earlier, previous) && !readsWrong(`You still want to know ${earlier}.`))
        return finish(`${body}. With that in mind, you still want to know ${earlier}`);
      if (body)
        return finish(`${body}. With that in mind, back to your question${options.earlierTopic ? ` about ${options.earlierTopic}` : ''}`);
    }
    return finish(body || capitalise(toSecondPerson(plain(question))));
  };

  const summary = compose(asked);
  if (!readsWrong(summary)) return summary;
  return compose(questions.length > 0 ? askedBack(questions) : null);
}

/** The user's questions put back to them as questions, with their question mark: the form that never misreads. */
function askedBack(questions: readonly string[]): string {
  const asked = `you ask: ${questions.map((sentence) => lowerFirst(toSecondPerson(sentence.replace(/[.!]+$/, '')))).join(' ')}`;
  return /\?$/.test(asked) ? asked : `${asked}?`;
}

/** Closes the summary with a full stop, unless it ends with a question the user asked. */
function finish(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if (/\?$/.test(trimmed)) return trimmed;
  return `${trimmed.replace(/[.,;:!]+$/, '')}.`;
}
