import { toSecondPerson } from './second-person.js';
import { capitalise, isQuestionSentence, lowerFirst, normaliseTyping, plain, splitSentences } from './text-tools.js';
import type { ConversationContext } from './types.js';
import { discussedSubject, resolveReferences } from './discussed-subject.js';
import { embedSentence, keptStatements, partsOf } from './message-parts.js';
import { statementOf } from './statement-of.js';
import { withoutSteering } from './classify-topic.js';

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
  const typed = withoutSteering(normaliseTyping(question));
  const resolved = previous ? resolveReferences(typed, referent) : plain(typed);
  const parts = partsOf(resolved);
  const { statements, questions } = parts;
  const told = joinFragments(keptStatements(statements).map(statementOf).filter(Boolean));
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

/**
 * A verbless fragment after a statement ("We missed our quarterly goals again. Third quarter in a row.") belongs to
 * it: said back as part of it ("you missed your quarterly goals again, third quarter in a row"), not quoted on its
 * own ('You put it as "third quarter in a row"'). A fragment with nothing before it keeps its quotation marks.
 */
/** Words a fragment opens with that are no name ("Third quarter in a row", "Two weeks behind"). */
const countingWord =
  /^(?:First|Second|Third|Fourth|Fifth|Last|Next|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Every|Each|No|Not|Only|Just|Again|Still|Same|Another|Most|All|Half|Some|Zero|Twice|Once|Never|Always)\b/;

function joinFragments(told: readonly string[]): string[] {
  const joined: string[] = [];
  for (const statement of told) {
    const fragment = /^you put it as "(.*)"$/.exec(statement)?.[1];
    const previous = joined.at(-1);
    if (fragment !== undefined && previous && !/"$/.test(previous) && fragment.split(/\s+/).length <= 8)
      joined[joined.length - 1] = `${previous}, ${toSecondPerson(fragment).replace(countingWord, (word) => word.toLowerCase())}`;
    else joined.push(statement);
  }
  return joined;
}

/** The user's questions put back to them as questions, with their question mark: the form that never misreads. */
function askedBack(questions: readonly string[]): string {
  const asked = `you ask: ${questions.map((sentence) => lowerFirst(toSecondPerson(sentence.replace(/[.!]+$/, '')))).join(' ')}`;
  return /\?$/.test(asked) ? asked : `${asked}?`;
}

/**
 * Closes the summary with a full stop, unless it ends with a question the user asked. A
 * bracketed number the user typed (`[999]`) is left out: in an answer it would read as a
 * citation marker that no citation backs.
 */
function finish(text: string): string {
  const trimmed = text
    .replace(/\s*\[\d+\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/\?$/.test(trimmed)) return trimmed;
  return `${trimmed.replace(/[.,;:!]+$/, '')}.`;
}
