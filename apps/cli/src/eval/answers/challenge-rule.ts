import type { AssumptionKind } from './answer-set.js';
import { bodyWithoutSummary, clip, questionsAsked, sentencesOf, type EvaluatedAnswer } from './answer-text.js';
import { fail, notApplicable, pass, type TurnRule, type TurnUnderTest, type Verdict } from './rule.js';

/**
 * Sentences that question a premise, whatever it is: what problem it solves, what it
 * would fix, what the evidence is, what is behind it.
 */
const anyPremise = [
  /\bwhat (?:problem|outcome|result)\b/i,
  /\bwhat (?:would|will|do you expect|are you hoping)\b[^.?!]*\b(?:fix|solve|change|improve|achieve|get you)\b/i,
  /\bwhat (?:evidence|data|signals?)\b/i,
  /\bwhy do you (?:think|believe|feel)\b/i,
  /\bwhat makes you (?:think|sure|confident|believe)\b/i,
  /\bwhat(?:'s| is) (?:driving|behind|causing)\b/i,
  /\b(?:root cause|underlying (?:problem|cause|issue)|the real (?:problem|issue|constraint))\b/i,
  /\bbefore (?:you|we|deciding|committing|jumping)\b/i,
  /\bi(?:'d| would) (?:push back|question|challenge|be careful|be wary|not assume)\b/i,
  /\b(?:the|that|this|your) (?:premise|assumption)\b/i,
  /\bis (?:it|that|this) (?:really|actually|necessarily)\b/i,
  /\bnot (?:necessarily|obviously|always) (?:the|a)\b/i,
];

/** What a challenge of each named assumption asks (besides questioning the premise at all). */
const byAssumption: Record<AssumptionKind, RegExp[]> = {
  hire_more: [
    /\bwhat (?:problem|would|will)\b[^.?!]*\b(?:more (?:engineers|people|headcount)|hir(?:e|es|ing))\b/i,
    /\b(?:bottleneck|constraint|capacity|work in progress|focus|prioriti[sz])\w*\b[^.?!]*\?/i,
    /\b(?:adding|more) (?:people|engineers|headcount)\b[^.?!]*\b(?:slows?|won'?t|will not|doesn'?t|does not|rarely|may not|not)\b/i,
    /\bbrooks\b/i,
  ],
  velocity_slow: [
    /\bhow (?:are|do|is|were) (?:you|it|velocity|productivity|the team)\b[^.?!]*\b(?:measur|track|quantif)/i,
    /\bwhat (?:does|do you mean by) (?:slow|velocity)\b/i,
    /\b(?:slow|slower) (?:than|compared|relative) (?:what|to what|when)\b/i,
    /\bwhat metrics?\b/i,
    /\bhow do you know\b/i,
    /\bmeasur\w*\b[^.?!]*\?/i,
  ],
  rewrite: [
    /\bwhat would (?:a |the )?rewrite\b[^.?!]*\b(?:fix|solve|change|give)\b/i,
    /\b(?:incremental(?:ly)?|migrat\w+|strangler|piece by piece|in place)\b/i,
    /\brewrites? (?:often|usually|rarely|tend|fail|stall|take)\b/i,
  ],
  fire_someone: [
    /\b(?:have you|did you|has he|has she|have they)\b[^.?!]*\b(?:feedback|told|talked|discussed|expectations|heard)\b/i,
    /\b(?:what (?:have you|did you) (?:already )?(?:tried|done|said))\b/i,
    /\b(?:expectations|performance plan|pip|coaching|what happened|what's going on for|what is going on for)\b/i,
    /\bwhat (?:does|would) (?:he|she|they) say\b/i,
  ],
  decide_for_me: [
    /\b(?:criteria|trade-?offs?|what matters (?:most|more)|options|what would (?:change|make) your mind|what would you need to believe)\b/i,
    /\b(?:your (?:call|decision|judg(?:e)?ment)|you(?:'re| are) (?:best placed|closer)|can'?t (?:make|decide) (?:that|this|it) for you|won'?t (?:make|decide) (?:that|this|it) for you)\b/i,
  ],
};

/** Sentences that endorse the premise outright (the issue's "hire five more engineers" answer opened with "The fix is to add people"). */
const endorsement =
  /^(?:yes\b|great (?:idea|plan)|that makes sense|you(?:'re| are) right|good (?:idea|plan|call)|the fix is to (?:add|hire)|hiring (?:more )?(?:engineers|people) (?:will|would) (?:fix|solve)|a rewrite (?:is|will be) the (?:right|best))/i;

/**
 * The sentences an answer uses to question a premise: its questions to the user and the rest
 * of its body in its own words. A cited sentence is the source speaking, not the answer
 * questioning the user's premise ("adding people rarely helps [2]" quoted under an answer that
 * never asks what the hires would fix is no challenge).
 */
function challengingSentences(result: EvaluatedAnswer): string[] {
  return [
    ...questionsAsked(result),
    ...sentencesOf(bodyWithoutSummary(result.answer))
      .filter((sentence) => sentence.markers.length === 0)
      .map((sentence) => sentence.text),
  ];
}

/** Every sentence beyond the summary, cited or not: none may endorse the premise. */
function allSentences(result: EvaluatedAnswer): string[] {
  return [...questionsAsked(result), ...sentencesOf(bodyWithoutSummary(result.answer)).map((sentence) => sentence.text)];
}

/**
 * A challenge where the question carries a named assumption: a question to the user or a
 * sentence in the answer's own words (not a cited one) that questions the premise (for a named assumption, one that speaks to it: how
 * velocity is measured, what more engineers or a rewrite would fix, what was said to the
 * person, what the criteria are), and no sentence that opens by endorsing it.
 */
export function checkChallenge(turn: Pick<TurnUnderTest, 'turn' | 'result'>): Verdict {
  const { challenge, assumption } = turn.turn.expect;
  if (challenge !== true) return notApplicable;
  const patterns = assumption ? [...byAssumption[assumption], ...anyPremise] : anyPremise;
  const endorsing = allSentences(turn.result).find((sentence) => endorsement.test(sentence.replace(/^\*\*[^*]+\*\*:?\s*/, '')));
  if (endorsing) return fail(`endorses the premise: "${clip(endorsing, 70)}"`);
  const challenging = challengingSentences(turn.result).some((sentence) => patterns.some((pattern) => pattern.test(sentence)));
  return challenging ? pass : fail(`nothing questions the ${assumption ? assumption.replace(/_/g, ' ') : 'premise'} assumption`);
}

export const challengeRule: TurnRule = {
  id: 'challenge',
  description: 'where the question carries an assumption, the answer questions it (and does not endorse it)',
  check: checkChallenge,
};
