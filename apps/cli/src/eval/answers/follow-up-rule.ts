import { citedPassageOverlap, textSimilarity } from './answer-text.js';
import { fail, notApplicable, pass, type TurnRule, type TurnUnderTest, type Verdict } from './rule.js';

/** A follow-up's text (word three-grams beyond summary and sources) shares at most this much with the previous answer's. */
export const maxTextSimilarity = 0.5;

/** …and its cited passages at most this much with the previous answer's (Jaccard). */
export const maxPassageOverlap = 0.6;

/**
 * A follow-up that should move the conversation on does: its answer text and its cited
 * passages both differ from the previous turn's beyond a threshold (the follow-ups
 * returned the first answer again, with the same passages).
 */
export function checkFollowUpChanges(turn: Pick<TurnUnderTest, 'turn' | 'previous' | 'result'>): Verdict {
  if (turn.turn.expect.changesFromPrevious !== true) return notApplicable;
  const before = turn.previous.at(-1);
  if (!before) return notApplicable;
  const text = textSimilarity(turn.result.answer, before.result.answer);
  const passages = citedPassageOverlap(turn.result.citations, before.result.citations);
  const problems: string[] = [];
  if (text > maxTextSimilarity) problems.push(`text ${(text * 100).toFixed(0)}% the same as the previous answer's`);
  if (passages > maxPassageOverlap) problems.push(`cited passages ${(passages * 100).toFixed(0)}% the same`);
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

export const followUpRule: TurnRule = {
  id: 'follow-up-changes',
  description: `a follow-up's answer differs from the previous one (text ≤ ${maxTextSimilarity * 100}% alike, passages ≤ ${maxPassageOverlap * 100}%)`,
  check: checkFollowUpChanges,
};
