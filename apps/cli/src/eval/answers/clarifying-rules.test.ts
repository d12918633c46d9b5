import { describe, expect, it } from 'vitest';
import type { TurnExpectation } from './answer-set.js';
import type { EvaluatedAnswer } from './answer-text.js';
import { checkClarifyingCount, checkKnownFactsNotAsked, checkRepeatedQuestions, knownFacts, stockQuestions } from './clarifying-rules.js';

const stock = 'How large is the team or organisation involved, and how is it structured today?';

function answer(questions: string[], outcome = 'answered'): EvaluatedAnswer {
  const asked = questions.length > 0 ? `\n\n**Before I go further:** ${questions.join(' ')}` : '';
  return {
    answer: `**What I understood:** you want help.\n\n- A point [1].${asked}`,
    citations: [{ n: 1, author: 'Will Larson' }],
    outcome,
    clarifyingQuestions: questions,
  };
}

const turn = (question: string, result: EvaluatedAnswer, previous: string[] = [], expect: TurnExpectation = {}) => ({
  turn: { question, expect },
  previous: previous.map((earlier) => ({ question: earlier, result: answer([]) })),
  result,
});

describe('clarifying questions', () => {
  it('allows two questions, not three (counting questions in the text the field leaves out)', () => {
    expect(checkClarifyingCount(answer(['What stage is the company at?', 'What have you tried?'])).status).toBe('pass');
    expect(checkClarifyingCount(answer(['What stage is the company at?', 'What have you tried?', 'What is your budget?'])).status).toBe(
      'fail',
    );
    const extra = { ...answer(['What stage is the company at?', 'What have you tried?']) };
    extra.answer += '\n\nAnd who do you report to?';
    expect(checkClarifyingCount(extra).status).toBe('fail');
  });

  it('knows the facts given so far, this turn included, and those the set names', () => {
    expect(knownFacts(turn('What would you change?', answer([]), ["We're a 60-person org at a Series B startup."])).sort()).toEqual([
      'company_stage',
      'team_size',
    ]);
    expect(knownFacts(turn('How do I start?', answer([]), [], { knownFacts: ['constraints'] }))).toEqual(['constraints']);
  });

  it('fails the issue\'s stock question after the user said "a 60-person org"', () => {
    const verdict = checkKnownFactsNotAsked(turn('What would you change?', answer([stock]), ["We're a 60-person org."]));
    expect(verdict.status).toBe('fail');
    expect(verdict.status === 'fail' && verdict.detail).toMatch(/team_size/);
  });

  it('passes a question about a fact not yet given, and does not apply when nothing is known', () => {
    expect(
      checkKnownFactsNotAsked(turn('What would you change?', answer(['What have you already tried?']), ["We're a 60-person org."])).status,
    ).toBe('pass');
    expect(checkKnownFactsNotAsked(turn('How should I give feedback?', answer([stock]))).status).toBe('na');
  });

  it('fails every answered turn asking a question found in more than a tenth of them', () => {
    const results = [
      ...Array.from({ length: 8 }, () => answer(['What have you already tried?'])),
      answer([stock]),
      answer([stock]),
      answer(['What does good look like?'], 'no_support'),
    ];
    const verdicts = checkRepeatedQuestions(results.map((result) => ({ result })));
    // 10 answered turns: a question in more than one of them is a stock question.
    expect(verdicts.slice(0, 8).every((verdict) => verdict.status === 'fail')).toBe(true);
    expect(verdicts[8]!.status).toBe('fail');
    expect(verdicts[10]!.status).toBe('na');
    expect(stockQuestions(results).map((entry) => entry.turns)).toEqual([8, 2]);
  });

  it('passes varied questions and does not apply to turns that ask nothing', () => {
    const results = Array.from({ length: 12 }, (_, index) =>
      answer(index % 3 === 0 ? [] : [`What happened in sprint ${'abcdefghijkl'[index]}?`]),
    );
    const verdicts = checkRepeatedQuestions(results.map((result) => ({ result })));
    expect(verdicts.filter((verdict) => verdict.status === 'pass')).toHaveLength(8);
    expect(verdicts.filter((verdict) => verdict.status === 'na')).toHaveLength(4);
  });
});
