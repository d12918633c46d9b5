import { bodyOf, clip, sentencesOf, sourcesListLines, summaryOf, withoutLabel, type AnswerSentence } from './answer-text.js';
import { fail, notApplicable, pass, type TurnRule, type TurnUnderTest, type Verdict } from './rule.js';

/**
 * The sources are the response's `citations`, which every client shows: a list of them
 * printed in the answer text as well is the duplicate. Applies when the answer cites.
 */
export function checkNoSourcesList(result: TurnUnderTest['result']): Verdict {
  if (result.citations.length === 0) return notApplicable;
  const lines = sourcesListLines(result.answer);
  return lines.length > 0 ? fail(`prints the sources in the text (${lines.length} lines, "${clip(lines[0]!, 50)}")`) : pass;
}

/** Pronouns that need something before them to refer to. */
const danglingOpener = /^(?:it|its|they|them|their|this|these|those|he|she|his|her)\b/i;

/** A pronoun among the first words that can only point back ("Use it for…", "Sponsoring them is…", "For them, …"). */
const earlyPronoun = /^(?:\S+\s+){1,3}?(?:them|they|their|theirs|it|its)\b/i;
/** "It" among the first words that points ahead ("Make it clear that…", "find it hard to…"). */
const forwardIt = /^(?:\S+\s+){0,3}?it\s+(?:\S+\s+)?(?:to|that|if|when|whether)\b/i;

/** "It" that refers to nothing by design: "It depends", "It is worth…", "It's hard to…", "It helps to…". */
const expletiveIt =
  /^it(?:'s| is| was| can be| may be| might be| will be| would be)\s+(?:\w+\s+)?(?:to|that|worth|whether|when|if|how|why|what)\b|^it (?:depends|helps to|pays to|takes|seems|turns out|makes sense)\b|^it(?:'s| is) (?:not|often|usually|rarely|always|easy|hard|common|tempting|important|useful|worth)\b/i;

/** A framework line's lead-in: `**Name** (Author): its one-line summary.` */
const frameworkLead = /^\*\*[^*]+\*\*\s*\([^)]*\)\s*:/;

/**
 * Whether a sentence opens with a pronoun that refers to nothing the reader has: the first
 * sentence of a list item, of the text or of what follows a heading (after a bold label);
 * the quoted sentence after a framework line's summary; or a sentence cited from another
 * passage than the sentence before it on its line (an extract whose antecedent stayed in
 * its passage). A prose paragraph's first sentence may refer to the paragraph before.
 * `before` is the sentence before it on the same line, if any.
 */
export function isDangling(sentence: AnswerSentence, before: AnswerSentence | undefined): boolean {
  const text = withoutLabel(sentence.text).replace(/^["“(]/, '');
  const leans = danglingOpener.test(text) ? !expletiveIt.test(text) : earlyPronoun.test(text) && !forwardIt.test(text);
  if (!leans) return false;
  if (before === undefined) return sentence.listItem || sentence.afterHeading;
  if (frameworkLead.test(before.text) && before.markers.length === 0) return true;
  if (sentence.markers.length > 0 && before.markers.length > 0 && !sentence.markers.some((n) => before.markers.includes(n))) return true;
  return false;
}

/** A sentence that ends in a colon before its marker ("…a real chance of landing: [1]"): a lead-in cut from what it introduced. */
const colonBeforeMarker = /:\s*(?:\[\d+(?:\s*,\s*\d+)*\]\s*)+[.!?]?\s*$/;

/** An abbreviation the sentence splitter may have cut after ("e.g. the…"): what follows it is not a new sentence. */
const abbreviationEnd = /\b(?:e\.g|i\.e|etc|vs|cf|approx|incl)\.\s*$/i;

/**
 * A piece of a list or a clause cut from its sentence, quoted as if it were one: it opens in
 * lower case ("a recurring fire that keeps…"), or it is a subordinate clause alone ("Where
 * systems hold the team back.").
 */
export function isFragment(sentence: AnswerSentence, before: AnswerSentence | undefined): boolean {
  if (before && abbreviationEnd.test(before.text)) return false;
  const text = withoutLabel(sentence.text).replace(/^["“(]/, '');
  if (/^[a-z]/.test(text)) return true;
  return /^(?:Where|When|Whenever|While|Because|Although|Though|Whereas|Whether|Unless|Until)\b[^,;:]*[.!]\s*(?:\[\d+(?:\s*,\s*\d+)*\])?\s*$/.test(
    text,
  );
}

/** Words after "this", "these" or "those" that are not the noun pointed at ("this quarter", "those delivering"). */
const notPointedAt =
  /^(?:year|quarter|month|week|weekend|morning|afternoon|evening|cycle|sprint|time|moment|point|one|ones|way|kind|sort|is|are|was|were|has|have|had|does|do|did|can|could|will|would|should|may|might|must|means?|and|or|to|of|in|on|for|with|as|at|by|who|that|which|\w+ing|\w+ly|\w+ed)$/;

/**
 * A cited sentence that points back with "this", "these" or "those" and a noun ("this step",
 * "these metrics") the answer and the question never named before it: quoted alone, it refers
 * to something the reader never saw. Returns the phrase, or undefined.
 */
export function pointsBackTo(sentence: string, before: string): string | undefined {
  const lower = sentence.toLowerCase();
  // A demonstrative with no noun at all ("reduces these, and…").
  const bare = /\b(this|these|those)\s*(?:[,.;!?)]|…)/.exec(lower);
  if (bare) return bare[1];
  // A noun a colon spells out ("these rules: …") points ahead, not back.
  const ahead = new Set([...lower.matchAll(/\b(?:this|these|those)\s+([a-z][a-z'-]*)\s*:/g)].map((match) => match[1]));
  const words = lower.match(/[a-z][a-z'-]*/g) ?? [];
  const earlier = new Set((before.toLowerCase().match(/[a-z][a-z'-]*/g) ?? []).map((word) => word.replace(/(?:es|s)$/, '')));
  for (const [index, word] of words.entries()) {
    if (!/^(?:this|these|those)$/.test(word)) continue;
    const noun = words[index + 1];
    if (!noun || notPointedAt.test(noun) || ahead.has(noun)) continue;
    // "grow those back up": a pronoun before a particle, carried by a plural named before it in the sentence.
    if (
      /^(?:back|up|out|down|off|over|away|together|apart|aside)$/.test(noun) &&
      words
        .slice(0, index)
        .some((other) => /[a-rt-z]s$/.test(other) && other.length > 3 && !/^(?:this|thus|does|always|perhaps|unless)$/.test(other))
    )
      continue;
    const stem = noun.replace(/(?:es|s)$/, '');
    if (earlier.has(stem) || words.slice(0, index).some((other) => other.replace(/(?:es|s)$/, '') === stem)) continue;
    return `${word} ${noun}`;
  }
  return undefined;
}

/**
 * The sentences of an answer that do not stand alone: one that opens with a dangling
 * pronoun, a fragment of a list or clause, a cited sentence pointing back at something never
 * named ("this step"), or one that ends in a colon before a marker. `question` is what the
 * user asked (a cited "this team" may point at the user's team).
 */
export function sentenceProblems(answer: string, question = ''): string[] {
  const summary = summaryOf(answer);
  const body = bodyOf(answer);
  const sentences = sentencesOf(body);
  const problems: string[] = [];
  sentences.forEach((sentence, index) => {
    // The summary restates the user's words, which the summary rule reads.
    if (summary !== undefined && summary.includes(withoutLabel(sentence.text))) return;
    const previousSentence = sentences[index - 1];
    const before = previousSentence?.line === sentence.line ? previousSentence : undefined;
    const text = clip(withoutLabel(sentence.text), 60);
    if (isDangling(sentence, before)) problems.push(`opens with a dangling "${withoutLabel(sentence.text).split(/\s+/)[0]}": "${text}"`);
    else if (isFragment(sentence, previousSentence)) problems.push(`is a fragment, not a sentence: "${text}"`);
    if (sentence.markers.length > 0) {
      const said = [question, ...sentences.slice(0, index).map((earlier) => earlier.text)].join(' ');
      const phrase = pointsBackTo(withoutLabel(sentence.text), said);
      if (phrase) problems.push(`points back with "${phrase}" to something never named: "${text}"`);
    }
    if (colonBeforeMarker.test(sentence.text)) problems.push(`ends in a colon before its marker: "…${sentence.text.slice(-50)}"`);
  });
  return problems;
}

/** No sentence opens with "It"/"They"/"This" referring to nothing, is a fragment, points back at nothing, or ends in ':' before a marker. */
export function checkSentences(result: TurnUnderTest['result'], question = ''): Verdict {
  if (!bodyOf(result.answer)) return notApplicable;
  const problems = sentenceProblems(result.answer, question);
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

export const sourcesListRule: TurnRule = {
  id: 'no-sources-in-text',
  description: 'the sources are in citations, not printed again in the answer text',
  check: (turn) => checkNoSourcesList(turn.result),
};

export const sentencesRule: TurnRule = {
  id: 'sentences',
  description:
    'every sentence stands alone: no dangling It/They/This, no fragment, no cited "this step" never named, no ":" before a marker',
  check: (turn) => checkSentences(turn.result, turn.turn.question),
};
