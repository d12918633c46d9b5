import type { RetrievedPassage } from '@cairn/core';
import { analyzeText } from '@cairn/text';
import { meaningRedundancy, meaningScores, meaningWeight, type MeaningSimilarity } from './meaning-relevance.js';
import { baseVerbs, hasFiniteVerb } from './policy/text-tools.js';
import { carriesLinksOrMarkup } from './sanitize-answer.js';
import { splitSentences } from './split-sentences.js';
import { isInstructionLike } from './verify-citations.js';

/** A sentence (or two that belong together) of a passage, as an answer may quote it. */
export interface QuotableSentence {
  passageIndex: number;
  /** A verbatim span of the passage text. */
  text: string;
  /** Its content terms (analyzeText). */
  terms: string[];
}

export interface SelectedSentence extends QuotableSentence {
  /** Relevance to the question when chosen (coverage of what is not yet covered, less redundancy). */
  score: number;
}

/** Words that make a sentence lean on the one before it: it cannot be quoted alone. */
const leaningStart =
  /^(?:it|its|they|them|their|this|that|these|those|he|she|his|her|such|but|however|also|so|and|or|instead|otherwise|then|thus|therefore|still|yet|here|there|both|which|again|likewise|similarly|meanwhile|finally|second|secondly|third|lastly|in (?:this|that|other) (?:case|way|words)|in the (?:first|second|third|fourth|latter|former|other)\b|the (?:first|second|third|fourth|other|remaining) (?:group|groups|kind|kinds|type|types|mode|modes|case|cases|option|options|approach|one|ones|half)\b|for (?:this|that) reason|as a result|on the other hand|even so|if (?:not|so|yes|no|that|this)\b|the (?:fix|answer|solution|remedy|cure|result|same|other|latter|former|rest|second|next)\b)\b/i;

/** A sentence that opens in lower case, or with a subordinate clause and nothing else ("Where systems hold the team back."), is a fragment of a list. */
const fragmentStart =
  /^(?:[a-z]|(?:Who|What|How|Why|Which)\b[^?]*\.$|(?:[Ww]here|[Ww]hen|[Ww]henever|[Ww]hile|[Bb]ecause|[Aa]lthough|[Tt]hough|[Ww]hereas|[Ww]hich|[Ww]hose|[Ww]hether|[Ii]f|[Uu]nless|[Uu]ntil|[Ss]o that)\b[^,;:]*$)/;

/** Words after "this", "these" or "those" that name a time, not something said before ("this quarter"). */
const timeNouns =
  /^(?:year|quarter|month|week|weekend|morning|afternoon|evening|cycle|sprint|time|moment|point|spring|summer|autumn|fall|winter)s?$/i;

/**
 * A noun phrase that points back ("this step", "these metrics", "those teams") to something the
 * span itself does not name: quoted alone it refers to nothing the reader has.
 */
export function pointsBack(span: string): boolean {
  const lower = span.toLowerCase();
  // "The above approach…", "as mentioned earlier", "Examples include…", "For each item…": what they stand for was shown
  // before, or is a list the answer does not show.
  if (/\b(?:the|as) above\b|\b(?:mentioned|noted|described|discussed|shown|listed|outlined) (?:above|earlier|previously)\b/.test(lower))
    return true;
  if (
    /^["'“‘(]?(?:examples? (?:include|are|of (?:this|these|that|those))|for each (?:item|one|of (?:these|them|those))|(?:some|other) examples\b)/.test(
      lower,
    )
  )
    return true;
  // A pronoun with no noun at all ("reduces these, and…", "Do this.") names nothing here.
  if (/\b(?:this|these|those)\s*(?:[,.;!?)]|…|$)/.test(lower)) return true;
  // Nor one that ends it after a preposition ("…for staying too long below it.", "…more than that.").
  if (
    /\b(?:below|above|beyond|under|over|with|without|from|about|than|like|after|before|past|behind)\s+(?:it|them|that)\s*[.!?]?["')”’]*\s*$/.test(
      lower,
    )
  )
    return true;
  // "these rules: …": the phrase points ahead, to what the colon spells out.
  const ahead = new Set([...lower.matchAll(/\b(?:this|these|those)\s+([a-z][a-z'-]*)\s*:/g)].map((match) => match[1]));
  const words = lower.match(/[a-z][a-z'-]*/g) ?? [];
  return words.some((word, index) => {
    if (!/^(?:this|these|those)$/.test(word)) return false;
    const noun = words[index + 1];
    if (!noun || timeNouns.test(noun) || auxiliaryLike.test(noun) || ahead.has(noun)) return false;
    // "grow those back up": a pronoun before a particle, which a plural named before it in the span can carry.
    if (particles.test(noun))
      return !words.slice(0, index).some((earlier) => /[a-rt-z]s$/.test(earlier) && earlier.length > 3 && !notPlurals.test(earlier));
    // Named before in the span ("a staff engineer … this engineer") is a reference it carries itself.
    const stem = noun.replace(/(?:es|s)$/, '');
    return !words.slice(0, index).some((earlier) => earlier.replace(/(?:es|s)$/, '') === stem);
  });
}
/** Words ending in s that name no plural a pronoun could stand for. */
const notPlurals =
  /^(?:this|thus|does|always|perhaps|unless|whereas|besides|sometimes|afterwards|towards|news|series|basis|analysis|process|focus|status)$/;
const particles = /^(?:back|up|out|down|off|over|away|together|apart|aside)$/;
const auxiliaryLike =
  /^(?:is|are|was|were|has|have|had|does|do|did|can|could|will|would|should|may|might|must|means?|makes?|gives?|helps?|one|ones|way|is,|kind|sort|and|or|to|of|in|on|for|with|as|at|by)$/;

/** What takes back or limits what was just said: "but", "however", "challenging to scale", "does not work". */
const qualifies =
  /\b(?:but|however|although|though|except|unless|challenging|difficult|hard to|does(?:n'?t| not)|is(?:n'?t| not)|won'?t|will not|fails?|breaks? down|downsides?|risks?|at a cost|rarely|seldom)\b/i;

/** A sentence that opens with a gerund ("Treating …", "Assuming …"). */
const gerundStart = /^["'“‘(]?[A-Z][a-z]+ing\b/;

/** A list item's marker ("- ", "* ", "1. "), as passages keep their lists. */
const listMarker = /^\s*(?:[-*•]|\d{1,2}[.)])\s+/;

/** A passage's own section: the last part of its heading path. */
const sectionOf = (passage: RetrievedPassage): string => passage.heading.split('›').at(-1) ?? '';

/** A section heading over a list of what goes wrong. */
const pitfallHeading = /\b(?:pitfalls?|mistakes?|anti-?patterns?|goes wrong|go wrong|failure modes?|traps?|avoid)\b/i;

/**
 * Sentences about the writing rather than the problem carry no advice: the note or the book
 * itself ("This note summarises …", "The book discusses …", "Several chapters first appeared as
 * posts …"), where an idea comes from ("The framework comes from coach …", "is remembered as"),
 * and what its author set out to do ("Before starting a new executive role, Larson wanted …",
 * "Jack Danger starts from a problem …"). What an author argues or recommends is advice, and stays.
 */
const aboutTheWriting = [
  /^this note summari[sz]es\b/i,
  /^(?:this|the) (?:note|book|post|essay|article|chapter|talk|series|piece|newsletter)s? (?:also )?(?:summari[sz]es|discusses|covers|collects|introduces|surveys|includes|contains|opens|starts|ends|closes|walks|is (?:organi[sz]ed|structured|written|a collection|based on)|was (?:written|published))\b/i,
  /\b(?:chapters?|posts?|essays?|articles?) (?:first |originally )?(?:appeared|were published|was published|ran)\b/i,
  /\b(?:comes|came) from (?:coach |author |the (?:coach|author|writer) )?[A-Z]|\b(?:was |were )?coined by\b|\bis remembered as\b|\bnamed after\b|\boriginated (?:with|in)\b|\bis credited to\b/,
  /(?:^|[,.;:]\s+)(?:(?:[A-Z][a-z]+ )?[A-Z][a-z]+|He|She|They) (?:also )?(?:wanted|covers|discusses|collects|introduces|surveys|starts (?:from|with)|opens with|walks through|tells the story|describes (?:a|the) (?:moment|time|situation|scenario|story|case))\b/,
];
const aboutWriting = (sentence: string): boolean => aboutTheWriting.some((pattern) => pattern.test(sentence));

/**
 * Openings that stand for something said before: "Beyond that level", "At that point", "The
 * exception is …", "Larson argues the opposite: …" (the opposite of what the reader was not shown).
 */
const pointsBackAtStart = /^(?:beyond|after|at|by|from|with|without|under|past|before|until|above|below|for) that\b/i;
const unnamedContrast = /^(?:\S+\s+){0,4}?the (?:opposite|reverse|converse|exception)\b(?!\s+(?:of|to|is true)\b)/i;

/** A list of clauses and no sentence: "Where revenue comes from, where money goes, and what makes the domain unusual." */
const clauseList = /^(?:Where|What|How|Who|When|Why|Which)\b[^.?!]*,\s*(?:and |or )?(?:where|what|how|who|when|why|which)\b[^?!]*\.$/;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * A pronoun among a sentence's first words that can only point back ("Use it for positive
 * feedback too.", "Sponsoring them is part of your job.", "For them, the usual advice…",
 * "Camille Fournier included them in…"): those words name nothing it could refer to. "It"
 * that points forward ("Make it clear that…", "Find it hard to…") is left alone.
 */
const earlyPronoun = /^(?:\S+\s+){0,3}?(?:them|they|their|theirs|it|its)\b/i;
const forwardIt = /^(?:\S+\s+){0,3}?it\s+(?:\S+\s+)?(?:to|that|if|when|whether)\b/i;

/** Whether a sentence starts by pointing back at one before it ("It", "They", "This means", "But", "Use it…"). */
export function leansOnPrevious(sentence: string): boolean {
  const text = sentence.replace(/^["'“‘(]+/, '');
  if (leaningStart.test(text) || pointsBackAtStart.test(text) || unnamedContrast.test(text)) return true;
  const early = earlyPronoun.exec(text);
  return early !== null && !(/\bits?$/i.test(early[0]) && forwardIt.test(text));
}

/**
 * May a sentence be quoted as a point: not about the note itself, not addressed to a model
 * (a crawled page's injection), not carrying its own links, images, HTML or citation
 * markers, not ending in a colon (the start of a list the answer would not show), and not
 * a question of the source's own (it would read as one put to the user; a quoted question
 * inside a sentence stays).
 */
export function isQuotable(sentence: string): boolean {
  return (
    !aboutWriting(sentence) &&
    !isTitleOrLabel(sentence) &&
    !clauseList.test(sentence.replace(/^["'“‘(]+/, '')) &&
    // "Treating the diagram as a fixed rule instead of a conversation.": an item of a list of pitfalls, no sentence.
    !(gerundStart.test(sentence) && !hasFiniteVerb(sentence)) &&
    !fragmentStart.test(sentence.replace(/^["'“‘(]+/, '')) &&
    !pointsBack(sentence) &&
    !isInstructionLike(sentence) &&
    !carriesLinksOrMarkup(sentence) &&
    // A colon opens a list the answer would not show; a source's own question would read as one put to the user.
    !/[:;,–—-]\s*$/.test(sentence) &&
    !splitSentences(sentence).some((part) => /\?\s*$/.test(part)) &&
    !/\?["'”’)]*\s*$/.test(sentence) &&
    // A quotation cut in two by the sentence split ("try: \"The last two design docs…") is half a thought.
    (sentence.match(/["“”]/g) ?? []).length % 2 === 0
  );
}

/**
 * A title or a label rather than a sentence: a title and its author with no finite verb ("On becoming a senior
 * technical leader by Jesse Pollak"), a quotation and nothing else ("\"Daily Stand-Up Meetings: Start Breaking the Rules\"."), or a short label
 * with a clause after its colon that says what it is, not what to do ("Funnel performance: where candidates drop off…").
 */
function isTitleOrLabel(sentence: string): boolean {
  const text = sentence.trim();
  if (/^["“'‘][^"“”'‘’]+["”'’][.!]?$/.test(text)) return true;
  const label = /^((?:[\w'’-]+\s+){0,4}[\w'’-]+):\s+(?:where|what|how|when|who|which|whether|why)\b/i.exec(text);
  // "Rotate in deeper questions: what's going well…" is an instruction, not a label.
  if (label && !baseVerbs.has(label[1]!.split(/\s+/)[0]!.toLowerCase())) return true;
  return !hasFiniteVerb(text) && /\bby (?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+[.!]?$/.test(text);
}

/**
 * A sentence that tells the speaker's career rather than what to do: told in the first person, of where they were
 * and went ("Around 2015, I started mentoring…", "I joined…", "This week alone, I had 12 1-1s") or of where they work
 * ("I work at IBM on…"). Quoted alone it is the biography of someone the reader cannot see. A practice or a lesson
 * told in the first person ("I used nemawashi…", "I learned that…") is advice, and is only ranked lower
 * (`personalShare`). In audit 32, 43 of 46 first-person quotes were off the point.
 */
export function toldAsStory(sentence: string): boolean {
  if (speaksForItself(sentence)) return false;
  const unquoted = sentence.replace(/“[^”]*”|"[^"]*"/g, ' ');
  if (
    /\bI\s+(?:\w+ly\s+|also\s+|then\s+|eventually\s+|finally\s+)?(?:learned|learnt|realized|realised|discovered|found|noticed|believe|think|recommend|suggest)\s+(?:that|how|it|to)\b/.test(
      unquoted,
    )
  )
    return false;
  return (
    /\bI\s+(?:\w+ly\s+|also\s+|then\s+|eventually\s+|finally\s+|just\s+|once\s+)?(?:was|were|had|became|began|got|went|spent|left|joined|moved|started|worked|switched|transitioned|stayed|grew up|graduated|studied|retired|quit|applied|interviewed|relocated)\b/.test(
      unquoted,
    ) ||
    /\b(?:I(?:['’]m| am| work| live)|I've been|I have been)\s+(?:at|on|for|in|with|now|currently|still)\b/.test(unquoted) ||
    /\bmy (?:first|last|previous|old|current|former|then) (?:job|manager|boss|role|company|team|employer|startup)\b/i.test(unquoted)
  );
}

/** A statement an interviewer makes to set up a question: about the person asked, in the second person. */
const interviewerSetUp =
  /^["'“‘(*_]*(?:you(?:'ve|'re| have| are| were| was| first| joined| started| work| worked| spent| moved| became| got| recently| currently| now| previously)\b|tell us\b)/i;

/** How many of the first passages are quoted from however they were found. */
const FIRST_PASSAGES = 3;
/** The dense list's first ranks: a passage there was found by meaning, not by shared words alone. */
const MEANING_RANKS = 5;

/**
 * The passages, by index, that retrieval found by their words alone: below the first three,
 * and outside the dense list's first five. Their sentences share a word with the question
 * ("moved" her to another team, "Some solvers … move from hotspot to hotspot") more often than
 * they speak to it: in an audit of 240 quoted sentences, those of such passages helped in 1 case
 * of 32 (the rest 60 of 208). None where no passage has a dense rank (keyword search alone).
 */
export function foundByWordsAlone(passages: readonly RetrievedPassage[]): number[] {
  if (!passages.some((passage) => passage.ranks.vector !== null && passage.ranks.vector !== undefined)) return [];
  return passages.flatMap((passage, index) =>
    index >= FIRST_PASSAGES && (passage.ranks.vector ?? Number.POSITIVE_INFINITY) > MEANING_RANKS ? [index] : [],
  );
}

/**
 * The sentences of a passage that stand alone: a sentence that leans on the one before
 * ("It is distinct from…") is taken together with it, as one verbatim span, when both are
 * on one line and the pair is not too long; otherwise it is left out.
 */
export function standaloneSentences(passage: RetrievedPassage, passageIndex: number): QuotableSentence[] {
  const sentences: QuotableSentence[] = [];
  // A list under "Pitfalls" or "Avoid the classic mistakes" names what goes wrong: its "Assuming the manager owns
  // everything nobody else claimed." quoted alone reads as advice, or as nothing.
  const pitfalls = pitfallHeading.test(sectionOf(passage));
  for (const line of passage.text.split('\n')) {
    const item = listMarker.exec(line);
    if (pitfalls && item && gerundStart.test(line.slice(item[0].length))) continue;
    // An interviewer's prompt: what comes before its question tells the interviewee about themself ("You first got the
    // title Staff engineer at Box."), and is not the answer.
    const parts = splitSentences(line);
    if (parts.length <= 3 && /\?["'”’)*_]*\s*$/.test(line.trim()) && parts.slice(0, -1).every((part) => interviewerSetUp.test(part)))
      continue;
    // The span a leaning sentence would join: the sentence before it, with what it joined.
    let previous: { text: string; start: number; standsAlone: boolean } | undefined;
    let cursor = 0;
    for (const sentence of splitSentences(line)) {
      const start = line.indexOf(sentence, cursor);
      cursor = start + sentence.length;
      let text = sentence;
      let spanStart = start;
      if (leansOnPrevious(sentence)) {
        // A sentence that takes back or limits the one before ("This works well but is challenging to scale…"): the one
        // before is not quoted without it, or a quote would endorse what the page goes on to qualify.
        const dropQualified = () => {
          const last = sentences.at(-1);
          if (qualifies.test(sentence) && last?.passageIndex === passageIndex && last.text === previous?.text) sentences.pop();
        };
        // Together with the sentence before, as the page has them (a verbatim span), or not at all.
        if (!previous?.standsAlone || wordCount(previous.text) < 4 || wordCount(previous.text) + wordCount(sentence) > 70) {
          dropQualified();
          previous = { text: sentence, start, standsAlone: false };
          continue;
        }
        const joined = line.slice(previous.start, cursor);
        // A span the leaning sentence would spoil ("… This archetype generally appears…", naming nothing it points
        // to) is not made: what was quotable before it stays so, unless the sentence qualifies it.
        if (!isQuotable(joined)) {
          dropQualified();
          previous = { text: sentence, start, standsAlone: false };
          continue;
        }
        spanStart = previous.start;
        text = joined;
        // The pair replaces the first part quoted alone.
        const last = sentences.at(-1);
        if (last?.passageIndex === passageIndex && last.text === previous.text) sentences.pop();
      }
      // Only a span quotable itself may carry the leaning sentence after it.
      const quotable = isQuotable(text);
      previous = { text, start: spanStart, standsAlone: quotable };
      const words = wordCount(text);
      if (words < 6 || words > 80 || !quotable) continue;
      sentences.push({ passageIndex, text, terms: analyzeText(text) });
    }
  }
  return sentences;
}

/**
 * Words nearly every passage of this corpus uses, and the words a question is framed in
 * ("what's the best way to", "I'm thinking of", "any advice on how to handle"): a sentence
 * sharing only these with the question is not about it.
 */
const genericTerms = new Set(
  analyzeText(
    'team teams engineer engineers engineering manager managers management manage managing people person work working company organisation organization time make get help good new lead leader leaders leadership role roles job question start keep go take give use try put find say tell ask see look come feel run set show let pick honest honestly actual actually basic basically real week weeks day days month months year years one two three four five six seven eight nine ten ' +
      'best better think thinking thought want wants need needs way ways thing things lot advice handle deal sure really become becomes',
  ),
);

/**
 * General words that make a compound with the word before them ("cycle time", "product manager", "staff engineer",
 * "tech lead"): where the passages use that word mostly in the pair, it means the pair, not itself alone ("several
 * teams staff competing solutions" for a staff engineer).
 */
const compoundHeads = new Set(analyzeText('time manager engineer lead'));

/** Each word of a text as its term (analyzeText), in order; undefined for a word that has none (a stop word). */
function wordTerms(text: string): (string | undefined)[] {
  return text.split(/[^\p{L}\p{N}'’-]+/u).map((word) => analyzeText(word).at(-1));
}

/** How much a term of the earlier turns counts beside one of the question itself. */
const contextWeight = 0.5;
/** How much a word every passage uses counts beside a specific one. */
const genericWeight = 0.3;

export interface SelectOptions {
  max: number;
  perPassage?: number;
  exclude?: ReadonlySet<string>;
  minimumOverlap?: number;
  /** The conversation so far (a follow-up's earlier questions): its terms count at half weight. */
  context?: string | undefined;
  /** Passages (by index) a previous answer quoted: their sentences come after the others'. */
  stale?: ReadonlySet<number> | undefined;
  /**
   * Closeness in meaning (the local semantic embedder's): a sentence is then chosen by what it
   * says as well as by the words it shares with the question, and one that says what a pick
   * already said in other words counts as redundant.
   */
  meaning?: MeaningSimilarity | undefined;
  /** Sentences the answer quotes already (an advice list): the picks add to them, not repeat them. */
  covered?: readonly QuotableSentence[] | undefined;
  /**
   * Whether sentences told as one person's account may be picked: said in the first person
   * singular, or from a passage told that way (an interview, a memoir). Unset: first without
   * them, and with them only when nothing else answers (selectSentences).
   */
  personal?: boolean | undefined;
}

/** First person singular outside quotations ("I", "me", "my"), as speaksForItself reads it. */
const firstPersonWord = /(?:^|[^\p{L}'’])(?:I(?:['’](?:m|ve|d|ll))?(?!\.\s?e\.)|[Mm]e|[Mm]y|[Mm]yself)(?![\p{L}'’])/gu;

/**
 * A passage told as one person's account: "I", "me" or "my" in at least one word of 30 (an
 * interview of the staffeng stories: 0.044 at the median window, three in four above 0.028; its guides 0.004,
 * one in ten above 0.024). Such a passage's sentences are about one career and one company
 * ("We develop shared UI components", "At Slack, promotions need a package"), however each is worded.
 */
export function toldAsAccount(passage: RetrievedPassage): boolean {
  const unquoted = passage.text.replace(/“[^”]*”|"[^"]*"/g, ' ');
  const words = unquoted.split(/\s+/).filter(Boolean).length;
  return words >= 40 && (unquoted.match(firstPersonWord)?.length ?? 0) * 30 >= words;
}

/**
 * Query-focused selection (maximal marginal relevance over terms): each pick is the
 * sentence whose question terms, weighted by their rarity among the passages, most add to
 * what the picks so far cover, less its overlap with them, nudged by its passage's rank
 * and its heading's match. A sentence needs one specific question term of its own (not a
 * word such as "team" or "engineer" that every passage has) and `minimumOverlap` terms in
 * all, counting its heading's and, for a follow-up, the earlier turns' at half weight; at
 * most `perPassage` come from one passage; a pick far weaker than the best is left out.
 */
export function selectSentences(question: string, passages: readonly RetrievedPassage[], options: SelectOptions): SelectedSentence[] {
  // What speaks for itself first; one person's account ("I gathered five staff engineers and we did a spike") only
  // when nothing else answers: quoted alone, it is a story of one career that the reader cannot place (session 33's
  // audit: 47 of 66 lines quoted from the interviews were off the question).
  if (options.personal === undefined) {
    const impersonal = selectSentences(question, passages, { ...options, personal: false });
    return impersonal.length > 0 ? impersonal : selectSentences(question, passages, { ...options, personal: true });
  }
  let questionTerms = [...new Set(analyzeText(question))];
  let contextTerms = [...new Set(analyzeText(options.context ?? ''))].filter((term) => !questionTerms.includes(term));
  // A follow-up with no words of its own ("what now?") is about what came before.
  if (!questionTerms.some((term) => !genericTerms.has(term)) && contextTerms.length > 0) {
    questionTerms = [...new Set([...questionTerms, ...contextTerms])];
    contextTerms = [];
  }
  if (questionTerms.length === 0) return [];
  const accounts = new Set(options.personal ? [] : passages.flatMap((passage, index) => (toldAsAccount(passage) ? [index] : [])));
  const candidates = passages
    .flatMap((passage, index) => standaloneSentences(passage, index))
    .filter((candidate) => options.personal || (!accounts.has(candidate.passageIndex) && speaksForItself(candidate.text)));
  const headingTerms = passages.map((passage) => new Set(analyzeText(passage.heading)));
  // A question term found in few of the candidates says more than one found in all of them.
  const weightOf = (term: string, share: number): number => {
    const having = candidates.filter((candidate) => candidate.terms.includes(term)).length;
    return Math.log(1 + (candidates.length + 1) / (having + 1)) * share * (genericTerms.has(term) ? genericWeight : 1);
  };
  const rarity = new Map([
    ...contextTerms.map((term) => [term, weightOf(term, contextWeight)] as const),
    ...questionTerms.map((term) => [term, weightOf(term, 1)] as const),
  ]);
  // "cycle time", "tech lead": a specific word that the question uses with a general one means the pair, not the word
  // alone ("the promotion cycle" is not about cycle time).
  // Words next to each other in the question itself: "feedback to an engineer" is no compound.
  const analysed = wordTerms(question);
  // A pair is a compound where the passages use the word mostly right before its head ("staff engineer"), not where the
  // question only happens to put an adjective before it ("individual engineers").
  const wordCache = new Map<QuotableSentence, (string | undefined)[]>();
  const wordsOf = (candidate: QuotableSentence) =>
    wordCache.get(candidate) ?? wordCache.set(candidate, wordTerms(candidate.text)).get(candidate)!;
  const mostlyPaired = (term: string, head: string): boolean => {
    const having = candidates.filter((candidate) => candidate.terms.includes(term));
    const paired = having.filter((candidate) =>
      wordsOf(candidate).some((word, index, words) => word === term && words[index + 1] === head),
    );
    return paired.length * 2 >= having.length;
  };
  const partners = new Map<string, string>();
  analysed.forEach((term, index) => {
    const next = analysed[index + 1];
    if (term && next && compoundHeads.has(next) && !genericTerms.has(term) && mostlyPaired(term, next)) partners.set(term, next);
  });
  const alone = (candidate: QuotableSentence, term: string): boolean =>
    partners.has(term) && !candidate.terms.includes(partners.get(term)!);
  const specific = questionTerms.filter((term) => !genericTerms.has(term));
  const minimumOverlap = options.minimumOverlap ?? Math.min(2, questionTerms.length);
  const eligible = candidates.filter((candidate) => {
    if (options.exclude?.has(candidate.text)) return false;
    if (toldAsStory(candidate.text)) return false;
    const own = new Set(candidate.terms.filter((term) => questionTerms.includes(term)));
    if (own.size === 0) return false;
    if (specific.length > 0 && !specific.some((term) => own.has(term) && !alone(candidate, term))) return false;
    const fromContext = candidate.terms.filter((term) => contextTerms.includes(term));
    const withHeading = new Set([
      ...own,
      ...fromContext,
      ...questionTerms.filter((term) => headingTerms[candidate.passageIndex]!.has(term)),
    ]);
    return withHeading.size >= minimumOverlap;
  });
  // How well each sentence answers the question on its own; one far below the best is filler, not an answer.
  const wordRelevance = (candidate: QuotableSentence): number => {
    const terms = new Set(candidate.terms);
    let gain = 0;
    for (const term of terms) gain += (rarity.get(term) ?? 0) * (alone(candidate, term) ? 0.3 : 1);
    const headingGain = questionTerms.filter((term) => headingTerms[candidate.passageIndex]!.has(term)).length * 0.1;
    return gain / Math.sqrt(terms.size + 1) + headingGain + 0.3 / (candidate.passageIndex + 1);
  };
  // Relevant enough to quote: by its words, or by its meaning with fewer of the question's words (what speaks to the
  // question in other words).
  const bestRelevance = Math.max(0, ...eligible.map(wordRelevance));
  const closeness = meaningScores(
    options.meaning,
    question,
    contextTerms.length > 0 ? options.context : undefined,
    eligible.map((candidate) => candidate.text),
  );
  const meaningOf = new Map(eligible.map((candidate, index) => [candidate, closeness?.[index] ?? 0]));
  const relevant = eligible.filter(
    (candidate) =>
      wordRelevance(candidate) >= bestRelevance * minimumShareOfBest ||
      (meaningOf.get(candidate)! >= closeInMeaning && wordRelevance(candidate) >= bestRelevance * minimumShareInMeaning),
  );
  // What a sentence says counts beside the words it shares, and does not wane as the picks cover those words: one
  // that shares the question's words but not what it asks ("feedback weekly" for feedback on interrupting) falls
  // behind one that speaks to it.
  const meaningGain = (candidate: QuotableSentence): number => meaningWeight * bestRelevance * meaningOf.get(candidate)!;
  const covered = new Map<string, number>();
  const chosen: SelectedSentence[] = [];
  const prior = options.covered ?? [];
  const perPassage = new Map<number, number>();
  for (const entry of prior) {
    perPassage.set(entry.passageIndex, (perPassage.get(entry.passageIndex) ?? 0) + 1);
    for (const term of new Set(entry.terms)) if (rarity.has(term)) covered.set(term, (covered.get(term) ?? 0) + 1);
  }
  while (chosen.length < options.max) {
    let best: SelectedSentence | undefined;
    let bestRank = -Infinity;
    const quoted = [...prior, ...chosen];
    const repeats = meaningRedundancy(
      closeness && options.meaning,
      quoted.map((entry) => entry.text),
      relevant.map((candidate) => candidate.text),
    );
    relevant.forEach((candidate, index) => {
      if (quoted.some((entry) => entry.text === candidate.text || entry.text.includes(candidate.text))) return;
      if ((perPassage.get(candidate.passageIndex) ?? 0) >= (options.perPassage ?? 2)) return;
      const terms = new Set(candidate.terms);
      let gain = 0;
      for (const term of terms) {
        const weight = rarity.get(term);
        // What a term adds halves each time the picks already cover it: coverage of the question's parts.
        if (weight !== undefined) gain += (weight * (alone(candidate, term) ? 0.3 : 1)) / 2 ** (covered.get(term) ?? 0);
      }
      const headingGain = questionTerms.filter((term) => headingTerms[candidate.passageIndex]!.has(term)).length * 0.1;
      const redundancy = Math.max(repeats[index]!, ...quoted.map((entry) => jaccard(terms, new Set(entry.terms))));
      const staleness = options.stale?.has(candidate.passageIndex) ? 0.3 : 0;
      const words = gain / Math.sqrt(terms.size + 1) + headingGain + 0.3 / (candidate.passageIndex + 1);
      const relevance = words + meaningGain(candidate);
      const score = relevance - redundancy - staleness;
      // Told in the first person, it comes after what speaks for itself, but is still quoted when it is all that answers.
      const rank = score - (speaksForItself(candidate.text) ? 0 : (1 - personalShare) * relevance);
      if (!best || rank > bestRank) {
        best = { ...candidate, score };
        bestRank = rank;
      }
    });
    if (!best || best.score <= 0) break;
    chosen.push(best);
    perPassage.set(best.passageIndex, (perPassage.get(best.passageIndex) ?? 0) + 1);
    for (const term of new Set(best.terms)) if (rarity.has(term)) covered.set(term, (covered.get(term) ?? 0) + 1);
  }
  // Nothing speaks to the follow-up's own words: what speaks to the conversation it continues is the answer.
  if (chosen.length === 0 && contextTerms.length > 0) {
    return selectSentences(`${question} ${options.context}`, passages, { ...options, context: undefined });
  }
  // Nothing shares two of the question's terms: one specific term of its own is better than no answer.
  if (chosen.length === 0 && options.minimumOverlap === undefined && minimumOverlap > 1) {
    return selectSentences(question, passages, { ...options, minimumOverlap: 1 });
  }
  return chosen;
}

/**
 * What a sentence told in the first person singular ("I often get people coming to me…", "my manager told me…") is
 * worth beside one that speaks for itself: quoted on its own, the reader cannot tell who "I" is (an interviewee, the
 * author, someone the author quotes), and a story of one career is weaker advice than a guide's. It still answers
 * where nothing else does.
 */
const personalShare = 0.4;

/** Whether a sentence speaks without "I", "me" or "my" outside the quotations it carries. */
export function speaksForItself(sentence: string): boolean {
  const unquoted = sentence.replace(/“[^”]*”|"[^"]*"/g, ' ');
  // "I" only as a capital ("i.e." and a list's "(i)" are no one); "me", "my", "myself" in either case.
  return !/(?:^|[^\p{L}'’])(?:I(?:['’](?:m|ve|d|ll))?(?!\.\s?e\.)|[Mm]e|[Mm]y|[Mm]yself)(?![\p{L}'’])/u.test(unquoted);
}

/** The least relevance a pick has, as a share of the most relevant sentence's. */
const minimumShareOfBest = 0.55;
/** The least a sentence close in meaning to the question (`closeInMeaning` of the closest) has. */
const minimumShareInMeaning = 0.35;
const closeInMeaning = 0.8;

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** An item that gives advice: it opens with a verb in the imperative ("Use silence.", "Let the report own the agenda"). */
function givesAdvice(item: string): boolean {
  const first = /^[A-Za-z']+/.exec(item)?.[0];
  if (!first || !/^[A-Z]/.test(first)) return false;
  return baseVerbs.has(first.toLowerCase()) || /^(?:Don't|Do not|Never|Always|Avoid|Stop|Keep|Make|Treat)$/.test(first);
}

/**
 * The author's own advice list in a passage: its list items that open with an imperative, each whole (a short lead-in
 * and what explains it, "Use silence. Many managers find that pausing longer…", as one verbatim span).
 */
export function adviceItems(passage: RetrievedPassage, passageIndex: number): QuotableSentence[] {
  const items: QuotableSentence[] = [];
  for (const line of passage.text.split('\n')) {
    const marker = listMarker.exec(line);
    if (!marker) continue;
    const text = line.slice(marker[0].length).trim();
    const words = wordCount(text);
    if (words < 4 || words > 60 || !givesAdvice(text) || !isQuotable(text)) continue;
    items.push({ passageIndex, text, terms: analyzeText(text) });
  }
  return items;
}

/** How many of the first passages may lend their advice list, and how many items an answer takes from one. */
const adviceListRanks = 2;
const adviceListItems = 3;

/**
 * Where one of the first passages is a list of advice (three imperative items or more) under a heading on the
 * question's own subject ("Making ongoing 1:1s effective" for a 1:1 that ends in ten minutes), the author's items, in
 * the author's order: a situation told in the user's words rarely shares words with the advice that answers it, and
 * choosing by shared words alone quoted the one item that did ("Constantly rescheduling 1:1s signals low priority")
 * over the ones that answer ("Use silence.", "Rotate in deeper questions"). Empty where no passage is such a list.
 */
export function adviceList(
  question: string,
  passages: readonly RetrievedPassage[],
  options: { exclude?: ReadonlySet<string> | undefined; stale?: ReadonlySet<number> | undefined } = {},
): SelectedSentence[] {
  const specific = new Set(analyzeText(question).filter((term) => !genericTerms.has(term)));
  if (specific.size === 0) return [];
  for (const [index, passage] of passages.slice(0, adviceListRanks).entries()) {
    if (options.stale?.has(index)) continue;
    const heading = analyzeText(sectionOf(passage));
    if (!heading.some((term) => specific.has(term))) continue;
    const items = adviceItems(passage, index).filter((item) => !options.exclude?.has(item.text));
    if (items.length < 3) continue;
    return items.slice(0, adviceListItems).map((item, order) => ({ ...item, score: adviceListItems - order }));
  }
  return [];
}
