import { challengeRule } from './challenge-rule.js';
import { clarifyingCountRule, knownFactsRule, repeatedQuestionsRule } from './clarifying-rules.js';
import { followUpRule } from './follow-up-rule.js';
import { expectedFrameworksRule, frameworkAuthorRule } from './framework-rules.js';
import { outcomeRule, refusalRule } from './refusal-rules.js';
import type { AnswerRule, TurnUnderTest, Verdict } from './rule.js';
import { summaryRule } from './summary-rule.js';
import { sentencesRule, sourcesListRule } from './text-rules.js';

/** Every rule of the answer evaluation, in the order the report lists them. */
export const answerRules: readonly AnswerRule[] = [
  outcomeRule,
  refusalRule,
  challengeRule,
  frameworkAuthorRule,
  expectedFrameworksRule,
  clarifyingCountRule,
  knownFactsRule,
  repeatedQuestionsRule,
  followUpRule,
  summaryRule,
  sourcesListRule,
  sentencesRule,
];

/** Each rule's verdict on each turn: `verdicts[rule][turn]`, turns in the order given. */
export function judgeTurns(turns: readonly TurnUnderTest[], rules: readonly AnswerRule[] = answerRules): Map<string, Verdict[]> {
  const verdicts = new Map<string, Verdict[]>();
  for (const rule of rules) {
    verdicts.set(rule.id, 'checkAll' in rule ? rule.checkAll(turns) : turns.map((turn) => rule.check(turn)));
  }
  return verdicts;
}
