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
  if (!danglingOpener.test(text) || expletiveIt.test(text)) return false;
  if (before === undefined) return sentence.listItem || sentence.afterHeading;
  if (frameworkLead.test(before.text) && before.markers.length === 0) return true;
  if (sentence.markers.length > 0 && before.markers.length > 0 && !sentence.markers.some((n) => before.markers.includes(n))) return true;
  return false;
}

/** A sentence that ends in a colon before its marker ("…a real chance of landing: [1]"): a lead-in cut from what it introduced. */
const colonBeforeMarker = /:\s*(?:\[\d+(?:\s*,\s*\d+)*\]\s*)+[.!?]?\s*$/;

/** The sentences of an answer that open with a dangling pronoun or end in a colon before a marker. */
export function sentenceProblems(answer: string): string[] {
  const summary = summaryOf(answer);
  const body = bodyOf(answer);
  const sentences = sentencesOf(body);
  const problems: string[] = [];
  sentences.forEach((sentence, index) => {
    // The summary restates the user's words, which the summary rule reads.
    if (summary !== undefined && summary.includes(withoutLabel(sentence.text))) return;
    const previousSentence = sentences[index - 1];
    const before = previousSentence?.line === sentence.line ? previousSentence : undefined;
    if (isDangling(sentence, before)) {
      problems.push(`opens with a dangling "${withoutLabel(sentence.text).split(/\s+/)[0]}": "${clip(withoutLabel(sentence.text), 60)}"`);
    }
    if (colonBeforeMarker.test(sentence.text)) problems.push(`ends in a colon before its marker: "…${sentence.text.slice(-50)}"`);
  });
  return problems;
}

/** No sentence opens with "It"/"They"/"This" referring to nothing, or ends in ':' before a marker. */
export function checkSentences(result: TurnUnderTest['result']): Verdict {
  if (!bodyOf(result.answer)) return notApplicable;
  const problems = sentenceProblems(result.answer);
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

export const sourcesListRule: TurnRule = {
  id: 'no-sources-in-text',
  description: 'the sources are in citations, not printed again in the answer text',
  check: (turn) => checkNoSourcesList(turn.result),
};

export const sentencesRule: TurnRule = {
  id: 'sentences',
  description: 'no sentence opens with a dangling It/They/This or ends in ":" before a marker',
  check: (turn) => checkSentences(turn.result),
};
