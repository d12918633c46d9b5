/**
 * How close in meaning a question is to each of some texts, as cosines (−1 to 1): the
 * local semantic embedder's `meaningSimilarity` of @cairn/embed is one. Typed here by shape
 * so that answers do not depend on an embedder; without one, sentences are chosen by their
 * words alone.
 */
export type MeaningSimilarity = (question: string, texts: readonly string[]) => number[];

/**
 * What closeness in meaning adds to a sentence's relevance by its words, as a share of the
 * most relevant sentence's: the closest in meaning gains this much, one unrelated nothing.
 */
export const meaningWeight = 0.35;

/**
 * The closeness (cosine of the SIF word-vector sums) that counts as fully on the question:
 * when even the closest sentence is further than this, none is much about it, and meaning
 * reorders them less.
 */
const closeEnough = 0.4;

/** Sentences this close in meaning to one already chosen say the same thing in other words. */
const sameMeaning = 0.75;

/**
 * Each candidate's closeness in meaning to what was asked, scaled so the closest is 1, or
 * less when even it is not close (0 for a sentence no closer than unrelated text). A follow-up is read with the conversation it
 * continues, at a third of the weight. Undefined when there is no similarity to go by, or
 * nothing is close at all (then words alone decide).
 */
export function meaningScores(
  similarity: MeaningSimilarity | undefined,
  question: string,
  context: string | undefined,
  texts: readonly string[],
): number[] | undefined {
  if (!similarity || texts.length === 0) return undefined;
  const asked = similarity(question, texts);
  const earlier = context ? similarity(context, texts) : undefined;
  const raw = asked.map((value, index) => (earlier ? (2 * value + earlier[index]!) / 3 : value));
  const best = Math.max(...raw);
  if (!(best > 0)) return undefined;
  return raw.map((value) => Math.max(0, value) / Math.max(best, closeEnough));
}

/**
 * How far a candidate repeats, in meaning, the sentences already chosen: 0 below
 * `sameMeaning`, rising to 1 for the same sentence.
 */
export function meaningRedundancy(
  similarity: MeaningSimilarity | undefined,
  chosen: readonly string[],
  candidates: readonly string[],
): number[] {
  const redundancy = candidates.map(() => 0);
  if (!similarity) return redundancy;
  for (const text of chosen) {
    similarity(text, candidates).forEach((value, index) => {
      redundancy[index] = Math.max(redundancy[index]!, (value - sameMeaning) / (1 - sameMeaning));
    });
  }
  return redundancy;
}
