import type { FactKind } from './answer-set.js';
import { clip, normaliseQuestion, questionsAsked, type EvaluatedAnswer } from './answer-text.js';
import { factsAskedFor, statedFacts } from './facts.js';
import { fail, notApplicable, pass, type SetRule, type TurnRule, type TurnUnderTest, type Verdict } from './rule.js';

/** The persona asks "one or two clarifying questions at a time, not a barrage". */
export const maxClarifyingQuestions = 2;

/** A clarifying question asked in more than this share of answered turns is a stock question. */
export const maxRepeatShare = 0.1;

/** At most two questions to the user. */
export function checkClarifyingCount(result: EvaluatedAnswer): Verdict {
  const questions = questionsAsked(result);
  return questions.length <= maxClarifyingQuestions
    ? pass
    : fail(`${questions.length} questions: ${questions.map((question) => clip(question, 60)).join(' | ')}`);
}

/** The facts known at a turn: stated by the user so far (this turn included), and those the set names. */
export function knownFacts(turn: Pick<TurnUnderTest, 'turn' | 'previous'>): FactKind[] {
  const stated = [...turn.previous.map((earlier) => earlier.question), turn.turn.question].flatMap(statedFacts);
  return [...new Set([...stated, ...(turn.turn.expect.knownFacts ?? [])])];
}

/** No clarifying question asks for a fact the user already gave in this conversation. */
export function checkKnownFactsNotAsked(turn: Pick<TurnUnderTest, 'turn' | 'previous' | 'result'>): Verdict {
  const known = new Set(knownFacts(turn));
  if (known.size === 0) return notApplicable;
  const problems = questionsAsked(turn.result).flatMap((question) => {
    const repeated = factsAskedFor(question).filter((kind) => known.has(kind));
    return repeated.length > 0 ? [`asks for ${repeated.join(', ')}, already given: "${clip(question, 70)}"`] : [];
  });
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

/**
 * No stock clarifying question: a question (normalised) asked in more than a tenth of the
 * answered turns fails every answered turn that asks it. Applies to answered turns that ask.
 */
export function checkRepeatedQuestions(turns: readonly Pick<TurnUnderTest, 'result'>[]): Verdict[] {
  const answered = turns.map((turn) => turn.result.outcome === 'answered');
  const answeredCount = answered.filter(Boolean).length;
  const asked = turns.map((turn) => questionsAsked(turn.result));
  const counts = new Map<string, number>();
  asked.forEach((questions, index) => {
    if (!answered[index]) return;
    for (const key of new Set(questions.map(normaliseQuestion))) counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const limit = Math.max(1, Math.floor(answeredCount * maxRepeatShare));
  return asked.map((questions, index) => {
    if (!answered[index] || questions.length === 0) return notApplicable;
    const stock = questions.filter((question) => (counts.get(normaliseQuestion(question)) ?? 0) > limit);
    if (stock.length === 0) return pass;
    return fail(
      stock
        .map((question) => `"${clip(question, 60)}" in ${counts.get(normaliseQuestion(question))} of ${answeredCount} answered turns`)
        .join('; '),
    );
  });
}

/** The stock questions of a run, most frequent first: each with how many answered turns ask it. */
export function stockQuestions(results: readonly EvaluatedAnswer[]): { question: string; turns: number; share: number }[] {
  const answered = results.filter((result) => result.outcome === 'answered');
  const counts = new Map<string, { question: string; turns: number }>();
  for (const result of answered) {
    const seen = new Set<string>();
    for (const question of questionsAsked(result)) {
      const key = normaliseQuestion(question);
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = counts.get(key) ?? { question, turns: 0 };
      entry.turns += 1;
      counts.set(key, entry);
    }
  }
  const limit = Math.max(1, Math.floor(answered.length * maxRepeatShare));
  return [...counts.values()]
    .filter((entry) => entry.turns > limit)
    .sort((a, b) => b.turns - a.turns)
    .map((entry) => ({ ...entry, share: entry.turns / answered.length }));
}

export const clarifyingCountRule: TurnRule = {
  id: 'clarifying-count',
  description: `at most ${maxClarifyingQuestions} questions to the user`,
  check: (turn) => checkClarifyingCount(turn.result),
};

export const knownFactsRule: TurnRule = {
  id: 'known-facts',
  description: 'no clarifying question asks for a fact already given (team size, stage, role, constraints, what was tried, measure)',
  check: checkKnownFactsNotAsked,
};

export const repeatedQuestionsRule: SetRule = {
  id: 'stock-questions',
  description: `no clarifying question in more than ${maxRepeatShare * 100}% of answered turns`,
  checkAll: checkRepeatedQuestions,
};
