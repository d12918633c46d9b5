// A direct question turned into an embedded clause ("should I split a team" → "whether to split a team").
import { toSecondPerson } from './second-person.js';
import {
  auxiliaries,
  baseVerbs,
  beForms,
  determiners,
  hasFiniteVerb,
  lowerFirst,
  modals,
  pastTense,
  plain,
  prepositions,
  thirdPerson,
} from './text-tools.js';
import {
  beforeAdverbs,
  expandContractions,
  findParticiple,
  findVerb,
  inflect,
  ingNouns,
  irregularParticiples,
  join,
  said,
  tokenise,
  type Token,
} from './question-tokens.js';
import { complementStarts, imperatives, negativeAux, subjectPronouns, whWords } from './summary-lexicon.js';

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
      // "Do I still need to give him the feedback" too: whether you still need to, not "whether to still need to".
      const verb = afterSubject.find((token) => !/^(?:still|really|actually|even|just|also|ever|truly)$/.test(token.key));
      if (aux === 'do' && verb && /^(?:need|want|have|like|mean|expect|owe|wish|hope)$/.test(verb.key)) return `you ${said(afterSubject)}`;
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

  // "What's a good way to run a calibration meeting so managers don't…?": the thing asked for, as the object of "know"
  // ("a good way to run…"); "what a good way to run … is" would leave "is" stranded after a long clause.
  const sought =
    /^what (?:is|are|would be|will be) ((?:a|an|the) (?:good|better|best|right|sensible|healthy|reasonable|fair|effective|simple|quick|typical|usual|standard|ideal) (?:way|ways|approach|approaches|cadence|frequency|time|number|size|ratio|format|structure|process|playbook|framework|place|order|balance|mix|split) (?:to|for|of|between|when) .+)$/i.exec(
      text,
    );
  if (sought) return toSecondPerson(lowerFirst(sought[1]!));

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
