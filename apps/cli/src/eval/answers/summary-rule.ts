import { clip, sentencesOf, summaryOf } from './answer-text.js';
import { fail, notApplicable, pass, type TurnRule, type TurnUnderTest, type Verdict } from './rule.js';

/** How a summary may introduce the question it restates; what follows is checked. */
const restatementLead = /^(?:so,?\s+)?you(?:'re| are) asking(?: about this)?\s*:?\s*(?:me\s+)?/i;

const auxiliary = String.raw`(?:should|shall|can|could|would|will|do|does|did|is|are|am|was|were|have|has|had|must|may|might)`;
const subject = String.raw`(?:you|i|we|they|he|she|it|your|my|our|their|the|this|that|these|those|there|a|an)`;

/** A direct question's word order: "should you …", "how should you …", "what would you change", "what's the …". */
const directQuestion = new RegExp(
  [
    String.raw`^(?:how|what|why|when|where|which|who|whom|whose)(?:\s+\w+)?\s+${auxiliary}\s+${subject}\b`,
    String.raw`^(?:how|what|why|when|where|who)['’]s\s+`,
    String.raw`^${auxiliary}(?:n't)?\s+${subject}\b`,
  ].join('|'),
  'i',
);

/** A turn's words for comparison: lower case, the user's "I"/"we" as the summary's "you". */
const swaps: Record<string, string> = {
  i: 'you',
  "i'm": "you're",
  "i've": "you've",
  "i'd": "you'd",
  "i'll": "you'll",
  me: 'you',
  my: 'your',
  mine: 'yours',
  am: 'are',
  we: 'you',
  "we're": "you're",
  "we've": "you've",
  "we'd": "you'd",
  "we'll": "you'll",
  us: 'you',
  our: 'your',
  ours: 'yours',
};

function comparableWords(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[’]/g, "'")
      .match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []
  ).map((word) => swaps[word] ?? word);
}

/** Six words in a row of an earlier turn, repeated in the summary, is the turn pasted in, not summarised. */
export const gluedRunWords = 6;

function runs(words: readonly string[], size: number): Set<string> {
  const result = new Set<string>();
  for (let index = 0; index + size <= words.length; index++) result.add(words.slice(index, index + size).join(' '));
  return result;
}

/** The problems of a summary: the question restated in its own word order, its question mark turned into a full stop, earlier turns pasted in. */
export function summaryProblems(summary: string, earlierQuestions: readonly string[]): string[] {
  const problems: string[] = [];
  for (const sentence of sentencesOf(summary)) {
    const rest = sentence.text.replace(restatementLead, '');
    const restated = rest !== sentence.text;
    // Each clause after a colon, a comma or a semicolon too: "you're asking about this: actually, one more thing: how do
    // you …", "your staff meeting runs over, how do you fix that."
    const clauses = rest
      .split(/[:;,]\s+/)
      .map((clause) => clause.replace(/^["“]/, '').replace(/^(?:so|and|but|actually|also|then|ok|okay),?\s+/i, ''));
    const question = clauses.find((clause) => directQuestion.test(clause));
    if (question === undefined) continue;
    if (restated) problems.push(`restates the question in its own word order: "${clip(sentence.text, 60)}"`);
    if (/\.\s*["”]?\s*$/.test(rest)) problems.push(`a question ends with a full stop: "${clip(question, 60)}"`);
  }
  const summaryRuns = runs(comparableWords(summary), gluedRunWords);
  const pasted = earlierQuestions.filter((question) =>
    [...runs(comparableWords(question), gluedRunWords)].some((run) => summaryRuns.has(run)),
  );
  if (pasted.length > 0) {
    problems.push(`pastes in ${pasted.length === 1 ? 'an earlier turn' : `${pasted.length} earlier turns`}: "${clip(pasted[0]!, 50)}"`);
  }
  return [...new Set(problems)];
}

/**
 * The summary of what was understood reads as a summary: not "you're asking should you…",
 * no question turned into a statement with a full stop, no earlier turns glued together.
 * Applies to answers with a summary (a labelled line, or a first paragraph that opens like one).
 */
export function checkSummary(turn: Pick<TurnUnderTest, 'previous' | 'result'>): Verdict {
  const summary = summaryOf(turn.result.answer);
  if (summary === undefined) return notApplicable;
  const problems = summaryProblems(
    summary,
    turn.previous.map((earlier) => earlier.question),
  );
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

export const summaryRule: TurnRule = {
  id: 'summary',
  description: 'the summary is not "you\'re asking should you…", keeps question marks, and does not glue earlier turns together',
  check: checkSummary,
};
