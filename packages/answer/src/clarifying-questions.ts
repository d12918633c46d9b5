/** The context that leadership advice depends on (the persona asks before advising). */
export type ContextNeed = 'team_size' | 'company_stage' | 'already_tried' | 'constraints';

const present: Record<ContextNeed, RegExp> = {
  team_size:
    /\b\d+\s*(?:\+\s*)?(?:engineers?|people|persons?|devs?|developers?|reports?|teams?|ics?|managers?|folks|staff)\b|\b(?:small|large|big|tiny|growing|whole|entire)\s+(?:team|org|organi[sz]ation|company|group)s?\b|\bteam of\b|\bheadcount of\b/i,
  company_stage:
    /\b(?:start-?up|seed|series [a-f]|scale-?up|pre-?ipo|ipo|public company|publicly traded|enterprise|early[- ]stage|late[- ]stage|growth[- ]stage|hypergrowth|fortune \d+|big tech|\d+[- ]person company|founded|profitable)\b/i,
  already_tried:
    /\b(?:tried|attempted|we'?ve (?:been|started|done)|so far|didn'?t work|did not work|experimented|already|last quarter|last year|in the past)\b/i,
  constraints:
    /\b(?:budget|deadline|constraints?|can'?t|cannot|limited|headcount|hiring freeze|regulat\w*|compliance|remote|time ?zones?|on-?call|layoffs?|reorg)\b/i,
};

const clarifyingText: Record<ContextNeed, string> = {
  team_size: 'How large is the team or organisation involved, and how is it structured today?',
  company_stage: 'What stage is the company at (early startup, scaling, or established), and how fast is it growing?',
  already_tried: 'What have you already tried, and what happened?',
  constraints: 'What constraints are you working within: headcount, deadlines, budget or reporting lines?',
};

/** Assumptions the persona challenges before accepting them (from the spec's examples). */
const assumptionChallenges: [RegExp, string][] = [
  [
    /\b(?:hire|hiring) more\b|\bmore (?:engineers|people|headcount)\b|\bneed to hire\b/i,
    'What problem would more engineers solve: is it capacity, or focus, process or technical debt that more people would not fix?',
  ],
  [
    /\bvelocity\b|\b(?:too )?slow\b|\bproductivity\b/i,
    'How are you measuring velocity or productivity today, and what changed to make it feel slow?',
  ],
  [/\brewrite\b/i, 'What would a rewrite fix that an incremental migration would not?'],
];

/** Questions that ask for advice on a situation (as opposed to what a framework is). */
const advisory =
  /\b(?:should (?:i|we)|how (?:do|can|should|would) (?:i|we)|what (?:should|can|do) (?:i|we)|help (?:me|us)|advice|my (?:team|org|report|manager|engineers?|company)|our (?:team|org|company|engineers?)|we(?:'re| are| have| need)|i(?:'m| am| have| need))\b/i;

/** The needs the question leaves out, in the order the persona asks about them. */
export function missingContext(question: string): ContextNeed[] {
  return (Object.keys(present) as ContextNeed[]).filter((need) => !present[need].test(question));
}

/**
 * One or two clarifying questions, or none: the persona challenges a shaky assumption
 * first, and asks for context only on advisory questions that lack at least two of the
 * four kinds it depends on (team size, stage, what was tried, constraints).
 */
export function clarifyingQuestions(question: string): string[] {
  const questions = assumptionChallenges.filter(([pattern]) => pattern.test(question)).map(([, text]) => text);
  if (advisory.test(question)) {
    const missing = missingContext(question);
    if (missing.length >= 3) questions.push(...missing.map((need) => clarifyingText[need]));
  }
  return questions.slice(0, 2);
}
