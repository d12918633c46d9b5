import { abbreviationEnd } from '@cairn/answer';

/**
 * Reading an answer as a user sees it: its sentences, summary, questions, citation markers
 * and sources list. Pure functions over text, shared by the rules; they assume no more of
 * the answer's layout than the rules need (a labelled summary line, `[n]` markers), so an
 * answer written by the chat model reads as well as the extractive composer's.
 */

/** A citation as the rules read it: `Citation` of @cairn/answer, and whatever it grows. */
export interface CitationLike {
  n: number;
  author: string | null;
  title?: string;
  url?: string;
  heading?: string;
  chunkId?: string;
  /** The span of the passage that was used. */
  quote?: string;
  /** The passage's whole text, when a pipeline reports it. */
  text?: string;
}

/**
 * An answer as the rules read it: the fields of `AnswerResult` the rules need. Fields the
 * pipeline may add (`frameworks`, `refusalKind`) are read when present.
 */
export interface EvaluatedAnswer {
  answer: string;
  citations: readonly CitationLike[];
  outcome: string;
  clarifyingQuestions?: readonly string[] | undefined;
  /** The frameworks the answer applies, when the pipeline reports them (names, or objects with a name). */
  frameworks?: readonly (string | { name: string })[] | undefined;
  /** Why the request was declined, when the pipeline reports it. */
  refusalKind?: string | null | undefined;
  /** The same, under the name the conversation policy gives it (`AnswerPlan.refusal`). */
  refusal?: string | null | undefined;
}

/** The reason the pipeline reports for declining, under either name. */
export function reportedRefusal(result: EvaluatedAnswer): string | undefined {
  return result.refusalKind ?? result.refusal ?? undefined;
}

/** One sentence of an answer, with where it sits. */
export interface AnswerSentence {
  text: string;
  /** The line it is on (0-based, in the text it was split from). */
  line: number;
  /** Its position among the sentences of that line. */
  indexInLine: number;
  /** The citation numbers it carries. */
  markers: number[];
  /** Its line is a list item (`- …`, `1. …`). */
  listItem: boolean;
  /** Its line opens the text or follows a heading (`**What the sources say**`, `## …`): nothing before it to refer to. */
  afterHeading: boolean;
}

const markerPattern = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

/** The citation numbers in a text, in order of appearance (a list `[1, 2]` gives both). */
export function citationNumbers(text: string): number[] {
  return [...text.matchAll(markerPattern)].flatMap((match) => match[1]!.split(',').map((value) => Number(value.trim())));
}

/** A heading that opens a list of sources: `**Sources**`, `Sources:`, `## References`. */
const sourcesHeading = /^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:sources|references|citations|further reading)\s*:?\s*(?:\*\*|__)?\s*:?\s*$/i;
/** A line of such a list: `[1] "Title", Author: https://…` or `- [2] Note: …`. */
const sourceLine = /^\s*(?:[-*•]\s*)?\[\d+\]\s*(?:note:\s*)?(?:["“*]|[^\n]*\bhttps?:\/\/)/i;

/** What of the answer is a printed list of sources: its heading and entry lines. */
export function sourcesListLines(answer: string): string[] {
  return answer.split('\n').filter((line) => sourcesHeading.test(line) || sourceLine.test(line));
}

/** The answer without its printed sources list (the heading and everything after it, and stray entry lines). */
export function bodyOf(answer: string): string {
  const lines = answer.split('\n');
  const heading = lines.findIndex((line) => sourcesHeading.test(line));
  const kept = heading >= 0 ? lines.slice(0, heading) : lines;
  return kept
    .filter((line) => !sourceLine.test(line))
    .join('\n')
    .trim();
}

/** A label a summary line opens with: `**What I understood:**`, `**My understanding:**`. */
const summaryLabel =
  /^\s*\*\*\s*(?:what i understood|what i(?:'m| am) hearing|what i heard|my understanding|understanding|summary|what you(?:'re| are) asking)\s*:?\s*\*\*\s*:?\s*/i;
/** How an unlabelled summary opens: "So you're…", "It sounds like…", "You're asking…". */
const summaryOpening =
  /^\s*(?:so,? you|it sounds like|you(?:'re| are) (?:asking|trying|about|looking|wondering|facing)|if i understand|my understanding)/i;

/**
 * The answer's summary of what it understood, without its label: the labelled line (and
 * its paragraph), else a first paragraph that opens like one; undefined when there is none.
 */
export function summaryOf(answer: string): string | undefined {
  const paragraphs = bodyOf(answer)
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  const labelled = paragraphs.find((paragraph) => summaryLabel.test(paragraph));
  if (labelled) return labelled.replace(summaryLabel, '').trim();
  const first = paragraphs[0];
  return first && summaryOpening.test(first) ? first : undefined;
}

/** The body without the summary paragraph: what the answer says beyond restating the question. */
export function bodyWithoutSummary(answer: string): string {
  const body = bodyOf(answer);
  const summary = summaryOf(answer);
  if (summary === undefined) return body;
  return body
    .split(/\n\s*\n/)
    .filter((paragraph) => !paragraph.includes(summary))
    .join('\n\n')
    .trim();
}

/** A sentence ends at . ! or ? (closing quotes and brackets, then any citation markers), before white space or the end. */
const sentenceEnd = /[.!?]+["'”’)]*(?:\s*\[\d+(?:\s*,\s*\d+)*\])*(?=\s|$)/g;

/** A list item's bullet or number, and a leading bold label (`**Before I go further:**`). */
const leadIn = /^\s*(?:[-*•]|\d+[.)])\s+/;
const boldLabel = /^\*\*[^*\n]{1,60}\*\*\s*:?\s*/;

/** Strips a sentence's list marker (not its bold label: see `withoutLabel`). */
function withoutBullet(text: string): string {
  return text.replace(leadIn, '');
}

/** A sentence without a bold label before its words (`**Before I go further:** What…` → `What…`). */
export function withoutLabel(text: string): string {
  return text.replace(boldLabel, '').trim();
}

/** A line that is a heading: `## …`, or a bold phrase alone (`**What the sources say**`). */
const headingLine = /^\s*(?:#{1,6}\s+\S|\*\*[^*\n]+\*\*\s*:?\s*$)/;

/** The sentences of a text, line by line; citation markers after a full stop belong to its sentence. */
export function sentencesOf(text: string): AnswerSentence[] {
  const sentences: AnswerSentence[] = [];
  let previousLine: string | undefined;
  text.split('\n').forEach((rawLine, line) => {
    const content = withoutBullet(rawLine).trim();
    if (!content) return;
    const listItem = leadIn.test(rawLine);
    const afterHeading = previousLine === undefined || headingLine.test(previousLine);
    previousLine = rawLine;
    let start = 0;
    let indexInLine = 0;
    const push = (piece: string) => {
      const trimmed = piece.trim();
      if (!trimmed) return;
      sentences.push({ text: trimmed, line, indexInLine: indexInLine++, markers: citationNumbers(trimmed), listItem, afterHeading });
    };
    for (const match of content.matchAll(sentenceEnd)) {
      const end = match.index + match[0].length;
      // As the composer splits (splitSentences of @cairn/answer): no end before a word in lower case ('the question
      // "how do we measure it?" eventually comes up') or after an abbreviation ("e.g.", "Dr.").
      const piece = content.slice(start, end);
      if (
        (/^\s*[a-z]/.test(content.slice(end)) && /(?:\.|[.!?]["'”’)\]]+)(?:\s*\[\d+(?:\s*,\s*\d+)*\])*$/.test(piece)) ||
        abbreviationEnd.test(piece)
      )
        continue;
      push(content.slice(start, end));
      start = end;
    }
    push(content.slice(start));
  });
  return sentences;
}

/** A question for comparison: lower case, letters and digits (digits as #), single spaces. */
export function normaliseQuestion(question: string): string {
  return withoutLabel(question)
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/\d+/g, '#')
    .replace(/[^a-z#]+/g, ' ')
    .trim();
}

/** Whether a sentence quotes someone (its question mark may be inside the quotation). */
const quoting = /["“”]/;

/** A question suggested for the user to ask someone else: "You might ask: what would help?", "For example: …?" */
const suggested = /\b(?:ask|asking|try|say|saying|example|e\.g\.|such as)\b[^?:]*:\s*\S/i;

/**
 * The questions the answer asks the user: the pipeline's `clarifyingQuestions`, and every
 * sentence of the text beyond the summary that ends in a question mark, carries no citation
 * marker, quotes no one (a source's question quoted with `[n]` is not Cairn asking) and is
 * not suggested for the user to ask someone ("You might ask them: …?").
 * Each once, by its normalised text.
 */
export function questionsAsked(result: EvaluatedAnswer): string[] {
  const fromText = sentencesOf(bodyWithoutSummary(result.answer))
    .filter(
      (sentence) =>
        /\?\s*$/.test(sentence.text) &&
        sentence.markers.length === 0 &&
        !quoting.test(sentence.text) &&
        !suggested.test(withoutLabel(sentence.text)),
    )
    .map((sentence) => withoutLabel(sentence.text));
  const seen = new Set<string>();
  const questions: string[] = [];
  for (const question of [...(result.clarifyingQuestions ?? []), ...fromText]) {
    const key = normaliseQuestion(question);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    questions.push(question.trim());
  }
  return questions;
}

/** The words of a text, lower case, for similarity. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];
}

/** Jaccard similarity of two sets (0 when both are empty: nothing shared). */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const value of a) if (b.has(value)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** Word three-gram shingles of a text (its words, when shorter). */
export function shingles(text: string, size = 3): Set<string> {
  const list = words(text);
  if (list.length < size) return new Set(list.length > 0 ? [list.join(' ')] : []);
  const result = new Set<string>();
  for (let index = 0; index + size <= list.length; index++) result.add(list.slice(index, index + size).join(' '));
  return result;
}

/** How alike two answers' texts are beyond their summaries and sources (Jaccard of word three-grams, 0 to 1). */
export function textSimilarity(a: string, b: string): number {
  return jaccard(shingles(bodyWithoutSummary(a)), shingles(bodyWithoutSummary(b)));
}

/** What identifies a cited passage: its chunk, else its URL and section. */
export function passageKey(citation: CitationLike): string {
  return citation.chunkId ?? `${citation.url ?? ''}#${citation.heading ?? citation.title ?? ''}`;
}

/** How alike two answers' cited passages are (Jaccard of the passages; 0 when neither cites). */
export function citedPassageOverlap(a: readonly CitationLike[], b: readonly CitationLike[]): number {
  return jaccard(new Set(a.map(passageKey)), new Set(b.map(passageKey)));
}

/** A text cut to `length` characters on one line, for a report. */
export function clip(text: string, length = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}
