import { describe, expect, it } from 'vitest';
import type { EvaluatedAnswer } from './answer-text.js';
import { checkFollowUpChanges } from './follow-up-rule.js';

const first: EvaluatedAnswer = {
  answer: [
    "**What I understood:** you're a new director of six teams.",
    '',
    '- Spend much of the early period learning how the organisation works. [1]',
    '- Your first team is the executive team, not engineering. [2]',
    '- By ninety days, have an assessment of the organisation and its leaders. [1]',
  ].join('\n'),
  citations: [
    { n: 1, author: 'Will Larson', chunkId: 'first-90-days#1' },
    { n: 2, author: 'Will Larson', chunkId: 'primer#2' },
  ],
  outcome: 'answered',
};

const turn = (result: EvaluatedAnswer, expectChange = true, previous = [first]) => ({
  turn: { question: 'What about the managers reporting to me?', expect: expectChange ? { changesFromPrevious: true } : {} },
  previous: previous.map((earlier) => ({ question: 'q', result: earlier })),
  result,
});

describe('follow-ups that change', () => {
  it('fails the first answer returned again with the same passages', () => {
    const again = { ...first, answer: first.answer.replace('six teams', 'six teams, asking about managers') };
    const verdict = checkFollowUpChanges(turn(again));
    expect(verdict.status === 'fail' && verdict.detail).toMatch(/text 100% the same.*passages 100% the same/);
  });

  it('fails the same passages under new words', () => {
    const reworded: EvaluatedAnswer = {
      ...first,
      answer: 'Managers need a clear picture of what you expect before you change anything about their teams [1]. Meet each one early [2].',
    };
    expect(checkFollowUpChanges(turn(reworded)).status).toBe('fail');
  });

  it('passes a new answer with mostly new passages', () => {
    const moved: EvaluatedAnswer = {
      answer: 'With managers, agree how you will work together in the first 1:1 and ask how they like feedback [1]. Keep one passage [2].',
      citations: [
        { n: 1, author: 'Lara Hogan', chunkId: 'one-on-ones#1' },
        { n: 2, author: 'Will Larson', chunkId: 'primer#2' },
        { n: 3, author: 'Lara Hogan', chunkId: 'voltron#3' },
      ],
      outcome: 'answered',
    };
    expect(checkFollowUpChanges(turn(moved))).toEqual({ status: 'pass' });
  });

  it('does not apply without the expectation or a previous turn', () => {
    expect(checkFollowUpChanges(turn(first, false)).status).toBe('na');
    expect(checkFollowUpChanges(turn(first, true, [])).status).toBe('na');
  });
});
