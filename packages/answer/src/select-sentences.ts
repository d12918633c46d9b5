import type { RetrievedPassage } from '@cairn/core';
import { analyzeText } from '@cairn/text';
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
  /^(?:it|its|they|them|their|this|that|these|those|he|she|his|her|such|but|however|also|so|and|or|instead|otherwise|then|thus|therefore|still|yet|here|there|both|which|again|likewise|similarly|meanwhile|finally|second|secondly|third|lastly|in (?:this|that|other) (?:case|way|words)|for (?:this|that) reason|as a result|on the other hand|even so)\b/i;

/** Sentences about the note itself ("This note summarises …") carry no advice. */
const metaSentence = /^this note summari[sz]es\b/i;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Whether a sentence starts by pointing back at one before it ("It", "They", "This means", "But"). */
export function leansOnPrevious(sentence: string): boolean {
  return leaningStart.test(sentence.replace(/^["'“‘(]+/, ''));
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
    !metaSentence.test(sentence) &&
    !isInstructionLike(sentence) &&
    !carriesLinksOrMarkup(sentence) &&
    // A colon opens a list the answer would not show; a source's own question would read as one put to the user.
    !/[:;,–—-]\s*$/.test(sentence) &&
    !splitSentences(sentence).some((part) => /\?\s*$/.test(part))
  );
}

/**
 * The sentences of a passage that stand alone: a sentence that leans on the one before
 * ("It is distinct from…") is taken together with it, as one verbatim span, when both are
 * on one line and the pair is not too long; otherwise it is left out.
 */
export function standaloneSentences(passage: RetrievedPassage, passageIndex: number): QuotableSentence[] {
  const sentences: QuotableSentence[] = [];
  for (const line of passage.text.split('\n')) {
    // The span a leaning sentence would join: the sentence before it, with what it joined.
    let previous: { text: string; start: number; standsAlone: boolean } | undefined;
    let cursor = 0;
    for (const sentence of splitSentences(line)) {
      const start = line.indexOf(sentence, cursor);
      cursor = start + sentence.length;
      let text = sentence;
      let spanStart = start;
      if (leansOnPrevious(sentence)) {
        // Together with the sentence before, as the page has them (a verbatim span), or not at all.
        if (!previous?.standsAlone || wordCount(previous.text) + wordCount(sentence) > 70) {
          previous = { text: sentence, start, standsAlone: false };
          continue;
        }
        spanStart = previous.start;
        text = line.slice(spanStart, cursor);
        // The pair replaces the first part quoted alone.
        const last = sentences.at(-1);
        if (last?.passageIndex === passageIndex && last.text === previous.text) sentences.pop();
      }
      previous = { text, start: spanStart, standsAlone: true };
      const words = wordCount(text);
      if (words < 6 || words > 80 || !isQuotable(text)) continue;
      sentences.push({ passageIndex, text, terms: analyzeText(text) });
    }
  }
  return sentences;
}

/**
 * Query-focused selection (maximal marginal relevance over terms): each pick is the
 * sentence whose question terms, weighted by their rarity among the passages, most add to
 * what the picks so far cover, less its overlap with them, nudged by its passage's rank
 * and its heading's match. A sentence needs `minimumOverlap` question terms of its own or
 * through its heading; at most `perPassage` come from one passage.
 */
export function selectSentences(
  question: string,
  passages: readonly RetrievedPassage[],
  options: { max: number; perPassage?: number; exclude?: ReadonlySet<string>; minimumOverlap?: number },
): SelectedSentence[] {
  const questionTerms = [...new Set(analyzeText(question))];
  if (questionTerms.length === 0) return [];
  const candidates = passages.flatMap((passage, index) => standaloneSentences(passage, index));
  const headingTerms = passages.map((passage) => new Set(analyzeText(passage.heading)));
  // A question term found in few of the candidates says more than one found in all of them.
  const rarity = new Map(
    questionTerms.map((term) => {
      const having = candidates.filter((candidate) => candidate.terms.includes(term)).length;
      return [term, Math.log(1 + (candidates.length + 1) / (having + 1))];
    }),
  );
  const minimumOverlap = options.minimumOverlap ?? Math.min(2, questionTerms.length);
  const eligible = candidates.filter((candidate) => {
    if (options.exclude?.has(candidate.text)) return false;
    const own = new Set(candidate.terms.filter((term) => rarity.has(term)));
    const withHeading = new Set([...own, ...questionTerms.filter((term) => headingTerms[candidate.passageIndex]!.has(term))]);
    return own.size > 0 && withHeading.size >= minimumOverlap;
  });
  const covered = new Map<string, number>();
  const chosen: SelectedSentence[] = [];
  const perPassage = new Map<number, number>();
  while (chosen.length < options.max) {
    let best: SelectedSentence | undefined;
    for (const candidate of eligible) {
      if (chosen.some((entry) => entry.text === candidate.text)) continue;
      if ((perPassage.get(candidate.passageIndex) ?? 0) >= (options.perPassage ?? 2)) continue;
      const terms = new Set(candidate.terms);
      let gain = 0;
      for (const term of terms) {
        const weight = rarity.get(term);
        // What a term adds halves each time the picks already cover it: coverage of the question's parts.
        if (weight !== undefined) gain += weight / 2 ** (covered.get(term) ?? 0);
      }
      const headingGain = questionTerms.filter((term) => headingTerms[candidate.passageIndex]!.has(term)).length * 0.1;
      const redundancy = Math.max(0, ...chosen.map((entry) => jaccard(terms, new Set(entry.terms))));
      const score = gain / Math.sqrt(terms.size + 1) + headingGain + 0.3 / (candidate.passageIndex + 1) - redundancy;
      if (!best || score > best.score) best = { ...candidate, score };
    }
    if (!best || best.score <= 0) break;
    chosen.push(best);
    perPassage.set(best.passageIndex, (perPassage.get(best.passageIndex) ?? 0) + 1);
    for (const term of new Set(best.terms)) if (rarity.has(term)) covered.set(term, (covered.get(term) ?? 0) + 1);
  }
  return chosen;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}
