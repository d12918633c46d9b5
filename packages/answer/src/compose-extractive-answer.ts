import type { RetrievedPassage } from '@cairn/core';
import { analyzeText } from '@cairn/text';
import { citationFor, citationLine, type Citation } from './citation.js';
import { clarifyingQuestions } from './clarifying-questions.js';
import { detectRefusal, refusalText } from './detect-refusal.js';
import { frameworksOf } from './persona-frameworks.js';
import { restateQuestion } from './restate-question.js';
import { carriesLinksOrMarkup } from './sanitize-answer.js';
import { splitSentences } from './split-sentences.js';
import { isInstructionLike } from './verify-citations.js';

export interface ComposedAnswer {
  text: string;
  citations: Citation[];
  outcome: 'answered' | 'refused' | 'no_support';
  clarifyingQuestions: string[];
  frameworks: string[];
}

export interface ComposeOptions {
  /** Most sentences under "What the sources say" (default 4). */
  maxPoints?: number;
  /** Most frameworks listed (default 3). */
  maxFrameworks?: number;
}

interface ScoredSentence {
  passageIndex: number;
  sentence: string;
  score: number;
  /** Distinct content terms shared with the question, by the sentence or its section heading. */
  overlap: number;
}

/** Sentences about the note itself ("This note summarises …") carry no advice. */
const metaSentence = /^this note summari[sz]es\b/i;

/**
 * Whether a passage's sentence may be quoted as a point: not one about the note itself, not
 * one addressed to a model (a crawled page's injection), and not one carrying its own
 * links, images, HTML or citation markers, which would point where the answer cannot vouch.
 */
function isQuotable(sentence: string): boolean {
  return !metaSentence.test(sentence) && !isInstructionLike(sentence) && !carriesLinksOrMarkup(sentence);
}

function scoreSentences(question: string, passages: readonly RetrievedPassage[]): ScoredSentence[] {
  const questionTerms = new Set(analyzeText(question));
  const scored: ScoredSentence[] = [];
  passages.forEach((passage, passageIndex) => {
    // The section's heading says what its sentences are about: it counts as their context.
    const headingTerms = new Set(analyzeText(passage.heading).filter((term) => questionTerms.has(term)));
    for (const sentence of splitSentences(passage.text)) {
      const words = sentence.split(/\s+/).length;
      if (words < 5 || words > 80 || !isQuotable(sentence)) continue;
      const terms = analyzeText(sentence);
      const own = new Set(terms.filter((term) => questionTerms.has(term)));
      if (own.size === 0) continue;
      const overlap = new Set([...own, ...headingTerms]).size;
      // Own overlap, normalised for length, then the heading's, nudged by the passage's retrieval rank.
      const score = own.size / Math.sqrt(terms.length + 1) + 0.1 * headingTerms.size + 0.5 / (passageIndex + 1);
      scored.push({ passageIndex, sentence, score, overlap });
    }
  });
  return scored.sort((a, b) => b.score - a.score || a.passageIndex - b.passageIndex);
}

/**
 * The extractive answer: the most relevant sentences of the retrieved passages, each
 * followed by its `[n]`, in the persona's deterministic form: one line saying what was
 * understood, the frameworks that apply with their citations, the supporting points,
 * one or two clarifying questions when context is missing, and the sources. Requests to
 * write code or review pull requests are declined politely. With no supporting passage
 * it says so rather than inventing.
 */
export function composeExtractiveAnswer(
  question: string,
  passages: readonly RetrievedPassage[],
  options: ComposeOptions = {},
): ComposedAnswer {
  const refusal = detectRefusal(question);
  if (refusal) return { text: refusalText(refusal), citations: [], outcome: 'refused', clarifyingQuestions: [], frameworks: [] };

  const understood = `**What I understood:** ${restateQuestion(question)}`;
  const questions = clarifyingQuestions(question);
  const scored = scoreSentences(question, passages);
  // One shared word is chance ("best", "team"): a point needs two, unless the question has one.
  const minimumOverlap = Math.min(2, new Set(analyzeText(question)).size);
  const supporting = scored.filter((entry) => entry.overlap >= minimumOverlap);
  if (supporting.length === 0) {
    const lines = [
      understood,
      '',
      "I couldn't find anything in the sources I draw on (Will Larson, Lara Hogan, Jack Danger and the team's notes on them) that speaks to this, so I won't guess.",
      '',
      questions.length > 0
        ? `**To help me look again:** ${questions.join(' ')}`
        : '**To help me look again:** which part of engineering leadership does this touch: people, organisation, strategy, quality or infrastructure?',
    ];
    return { text: lines.join('\n'), citations: [], outcome: 'no_support', clarifyingQuestions: questions, frameworks: [] };
  }

  const citations: Citation[] = [];
  const numberOf = new Map<number, number>();
  const cite = (passageIndex: number, sentence: string): number => {
    const existing = numberOf.get(passageIndex);
    if (existing !== undefined) return existing;
    const passage = passages[passageIndex]!;
    const n = citations.length + 1;
    numberOf.set(passageIndex, n);
    citations.push(citationFor(passage, n, sentence));
    return n;
  };

  const used = new Set<string>();
  const frameworkLines: string[] = [];
  const frameworkNames: string[] = [];
  passages.forEach((passage, passageIndex) => {
    for (const framework of frameworksOf(passage)) {
      if (frameworkNames.includes(framework.name) || frameworkNames.length >= (options.maxFrameworks ?? 3)) continue;
      // Prefer the most relevant sentence that speaks of the framework itself.
      const candidates = scored.filter((entry) => entry.passageIndex === passageIndex && !used.has(entry.sentence));
      const best = candidates.find((entry) => framework.mentions.test(entry.sentence)) ?? candidates[0];
      if (!best) continue;
      used.add(best.sentence);
      frameworkNames.push(framework.name);
      frameworkLines.push(
        `- **${framework.name}** (${framework.author}): ${framework.summary}. ${best.sentence} [${cite(passageIndex, best.sentence)}]`,
      );
    }
  });

  const points: string[] = [];
  const perPassage = new Map<number, number>();
  for (const entry of supporting) {
    if (points.length >= (options.maxPoints ?? 4)) break;
    if (used.has(entry.sentence) || (perPassage.get(entry.passageIndex) ?? 0) >= 2) continue;
    used.add(entry.sentence);
    perPassage.set(entry.passageIndex, (perPassage.get(entry.passageIndex) ?? 0) + 1);
    points.push(`- ${entry.sentence} [${cite(entry.passageIndex, entry.sentence)}]`);
  }

  const lines = [understood, ''];
  if (frameworkLines.length > 0) lines.push('**Frameworks that apply**', ...frameworkLines, '');
  if (points.length > 0) lines.push('**What the sources say**', ...points, '');
  if (questions.length > 0) lines.push(`**Before I go further:** ${questions.join(' ')}`, '');
  lines.push('**Sources**', ...citations.map(citationLine));
  return { text: lines.join('\n'), citations, outcome: 'answered', clarifyingQuestions: questions, frameworks: frameworkNames };
}
