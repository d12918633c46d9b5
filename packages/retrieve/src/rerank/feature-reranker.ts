import type { RetrievedPassage } from '@cairn/core';
import { analyzeText } from '@cairn/text';
import type { Reranker } from './reranker.js';

/** Scores how close in meaning a question is to each text (cosines); the local semantic embedder provides it. */
export type MeaningSimilarity = (question: string, texts: readonly string[]) => number[];

export const rerankFeatures = [
  'fused',
  'dense',
  'keyword',
  'page',
  'coverage',
  'headingCoverage',
  'proximity',
  'phrase',
  'meaning',
  'headingMeaning',
  'note',
] as const;
export type RerankFeature = (typeof rerankFeatures)[number];
export type RerankWeights = Record<RerankFeature, number>;

/**
 * The weights of the features (docs/evaluation.md, "Rank credits in the reranker"): the
 * passage's dense, keyword and page ranks, each as the credit 1 / log2(1 + rank), at equal
 * weight, and not its fused rank. Fusion's reciprocal ranks (1 / (60 + rank)) are nearly flat
 * at the top: a passage first in one list and tenth in the other sits below one fourth in
 * both, so the one list's confident first hit is lost to agreement on a middling one. The
 * credit is steep at the top (1, 0.63, 0.5, 0.43, 0.39 for ranks 1 to 5), as the discount of
 * nDCG is. Over the eight sets of session 23 (286 questions), mean MRR@10 0.683 → 0.702 and
 * nDCG@10 0.726 → 0.740; over the four held-out sets 0.721 → 0.763 and 0.767 → 0.800. A
 * pairwise fit of the four rank credits, leaving out each corpus in turn, put weight on the
 * three ranks and none on the fused one, with the page's the largest; equal weights scored
 * the same within 0.005 and fit nothing. Text features (coverage, proximity, phrase, meaning)
 * gained nothing on a corpus left out of their fit, so they stay at 0 (and no text is read).
 */
export const fittedRerankWeights: RerankWeights = {
  fused: 0,
  dense: 1,
  keyword: 1,
  page: 1,
  coverage: 0,
  headingCoverage: 0,
  proximity: 0,
  phrase: 0,
  meaning: 0,
  headingMeaning: 0,
  note: 0,
};

/** Candidates the feature reranker reorders (the fused top). */
export const rerankDepth = 50;

/** 1 / log2(1 + rank): 1 at the top, 0.5 at rank 3, 0.17 at rank 50; 0 where the list did not have it. */
const rankCredit = (rank: number | null | undefined) => (rank ? 1 / Math.log2(rank + 1) : 0);

/**
 * An offline reranker over the fused top 50: a linear model of features the first stage
 * cannot use. Term features are weighted by the rarity of each question term among the
 * candidates (a term every candidate has tells nothing):
 *
 * - the ranks of the passage in the fused, dense and keyword lists and of its page;
 * - coverage: the share of the question's term weight found in the passage, and in its
 *   heading path alone (title and headings name what a passage is about);
 * - proximity: how close together the question's terms occur (the shortest span holding
 *   two distinct ones), and phrase: the share of the question's adjacent term pairs the
 *   passage has side by side;
 * - meaning: the cosine in meaning of question and passage, and of question and heading
 *   path (where a MeaningSimilarity is given);
 * - note: the team's curated notes (kind `note`) against crawled pages.
 */
export class FeatureReranker implements Reranker {
  readonly name = 'features-v1';
  /**
   * Whether any text feature has weight. The fitted weights use ranks and kind only: then no
   * text is analysed (about 6 ms a search of 50 candidates) nor loaded (see Reranker.readsText).
   */
  readonly readsText: boolean;

  constructor(
    private readonly similarity?: MeaningSimilarity,
    private readonly weights: RerankWeights = fittedRerankWeights,
  ) {
    this.readsText = textFeatures.some((feature) => weights[feature] !== 0);
  }

  async rerank(question: string, candidates: readonly RetrievedPassage[]): Promise<RetrievedPassage[]> {
    const features = this.readsText ? this.features(question, candidates) : candidates.map(rankFeatures);
    const scored = candidates.map((passage, index) => ({ passage, index, score: scoreFeatures(features[index]!, this.weights) }));
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    return scored.map((entry) => entry.passage);
  }

  /** Each candidate's features, in order. */
  features(question: string, candidates: readonly RetrievedPassage[]): RerankWeights[] {
    const questionTerms = [...new Set(analyzeText(question))];
    const analysed = candidates.map((passage) => ({ heading: new Set(analyzeText(passage.heading)), body: analyzeText(passage.text) }));
    const bodies = analysed.map((passage) => new Set(passage.body));
    const rarity = new Map(
      questionTerms.map((term) => {
        const having = bodies.filter((terms, index) => terms.has(term) || analysed[index]!.heading.has(term)).length;
        return [term, Math.log(1 + candidates.length / (1 + having))];
      }),
    );
    const totalRarity = [...rarity.values()].reduce((sum, value) => sum + value, 0) || 1;
    const meaning =
      this.similarity?.(
        question,
        candidates.map((passage) => passage.text),
      ) ?? candidates.map(() => 0);
    const headingMeaning =
      this.similarity?.(
        question,
        candidates.map((passage) => passage.heading),
      ) ?? candidates.map(() => 0);
    const pairs = questionTerms.length > 1 ? adjacentPairs(analyzeText(question)) : [];
    return candidates.map((passage, index) => {
      const { heading, body } = analysed[index]!;
      const present = bodies[index]!;
      let covered = 0;
      let headingCovered = 0;
      for (const term of questionTerms) {
        if (present.has(term) || heading.has(term)) covered += rarity.get(term)!;
        if (heading.has(term)) headingCovered += rarity.get(term)!;
      }
      const bodyPairs = new Set(adjacentPairs(body));
      return {
        ...rankFeatures(passage),
        coverage: covered / totalRarity,
        headingCoverage: headingCovered / totalRarity,
        proximity: proximity(body, new Set(questionTerms)),
        phrase: pairs.length ? pairs.filter((pair) => bodyPairs.has(pair)).length / pairs.length : 0,
        meaning: meaning[index] ?? 0,
        headingMeaning: headingMeaning[index] ?? 0,
      };
    });
  }
}

/** The features that need the passage's words (the others come from its ranks and kind). */
const textFeatures = [
  'coverage',
  'headingCoverage',
  'proximity',
  'phrase',
  'meaning',
  'headingMeaning',
] as const satisfies readonly RerankFeature[];

/** A candidate's features from its ranks and kind alone; the text features are 0. */
function rankFeatures(passage: RetrievedPassage): RerankWeights {
  return {
    fused: rankCredit(passage.ranks.fused),
    dense: rankCredit(passage.ranks.vector),
    keyword: rankCredit(passage.ranks.keyword),
    page: rankCredit(passage.ranks.page),
    coverage: 0,
    headingCoverage: 0,
    proximity: 0,
    phrase: 0,
    meaning: 0,
    headingMeaning: 0,
    note: passage.kind === 'note' ? 1 : 0,
  };
}

export function scoreFeatures(features: RerankWeights, weights: RerankWeights): number {
  let score = 0;
  for (const feature of rerankFeatures) score += features[feature] * weights[feature];
  return score;
}

function adjacentPairs(terms: readonly string[]): string[] {
  const pairs: string[] = [];
  for (let index = 1; index < terms.length; index += 1) pairs.push(`${terms[index - 1]} ${terms[index]}`);
  return pairs;
}

/** 1 / (1 + span − 1) for the shortest span of terms holding two distinct question terms; 0 when none. */
function proximity(terms: readonly string[], wanted: ReadonlySet<string>): number {
  let best = Infinity;
  let lastTerm = '';
  let lastAt = -1;
  terms.forEach((term, position) => {
    if (!wanted.has(term)) return;
    if (lastAt >= 0 && term !== lastTerm) best = Math.min(best, position - lastAt);
    lastTerm = term;
    lastAt = position;
  });
  return best === Infinity ? 0 : 1 / best;
}
