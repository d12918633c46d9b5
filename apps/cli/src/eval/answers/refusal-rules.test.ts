import { describe, expect, it } from 'vitest';
import type { TurnExpectation } from './answer-set.js';
import { checkOutcome, checkRefusal, refusalKindOf, refusalWording } from './refusal-rules.js';

const turn = (expect: TurnExpectation, answer: string, outcome = 'refused', refusalKind?: string) => ({
  turn: { question: 'q', expect },
  result: { answer, citations: [], outcome, refusalKind },
});

const writeCode =
  "I don't write code: I'm a thought partner for engineering leadership, not a coding assistant.\n\nWhat is the situation behind the request?";
/** The refusal of "write a Python script": in pull-request words. */
const writeCodeInReviewWords =
  "I don't write code: I'm a thought partner for engineering leadership, not a coding assistant, and a real reviewer or the team that owns the code will do that far better.";
const reviewCode = "I don't review code or pull requests: a reviewer who knows the codebase will do that far better than I can.";
const offTopic =
  'That\'s outside what I cover: I\'m a thought partner for engineering leaders. I can help with staff+ engineering, org design, hiring, strategy, feedback and difficult conversations.\n\nFor example, you could ask: "How do I give feedback to a peer who interrupts?"';
/** Says what it covers, but leaves the user to guess what to ask. */
const offTopicWithoutExample =
  "That's outside what I cover: I'm a thought partner for engineering leaders. I can help with staff+ engineering, org design, hiring, strategy, feedback and difficult conversations.";
const wontGuess =
  "**What I understood:** you're asking what the capital of France is.\n\nI couldn't find anything in the sources I draw on that speaks to this, so I won't guess.";

describe('outcome', () => {
  it('passes the expected outcome or any of several, and fails another', () => {
    expect(checkOutcome(turn({ outcome: 'refused' }, writeCode)).status).toBe('pass');
    expect(checkOutcome(turn({ outcome: ['refused', 'off_topic'] }, offTopic, 'off_topic')).status).toBe('pass');
    expect(checkOutcome(turn({ outcome: 'answered' }, writeCode)).status).toBe('fail');
  });

  it("fails an outcome of outcomeNot: the spec's velocity example answered with no_support", () => {
    expect(checkOutcome(turn({ outcomeNot: ['no_support'] }, wontGuess, 'no_support')).status).toBe('fail');
    expect(checkOutcome(turn({ outcomeNot: ['no_support'] }, 'How are you measuring it?', 'answered')).status).toBe('pass');
    expect(checkOutcome(turn({}, writeCode)).status).toBe('na');
  });
});

describe('refusal kind', () => {
  it('reads the reason from the wording when there is no refusalKind field', () => {
    expect(refusalWording(writeCode)).toEqual(['write_code']);
    expect(refusalWording(reviewCode)).toEqual(['review_code']);
    expect(refusalWording(offTopic)).toEqual(['off_topic']);
    expect(refusalKindOf({ answer: writeCodeInReviewWords, citations: [], outcome: 'refused' })).toBeUndefined();
    expect(refusalKindOf({ answer: reviewCode, citations: [], outcome: 'refused', refusalKind: 'write_code' })).toBe('write_code');
    expect(refusalKindOf({ answer: reviewCode, citations: [], outcome: 'declined_decision', refusal: 'decide_for_user' })).toBe(
      'decide_for_user',
    );
  });

  it('passes the right reason in its own words', () => {
    expect(checkRefusal(turn({ refusalKind: 'write_code' }, writeCode)).status).toBe('pass');
    const reviewNotCoding =
      "I don't review pull requests or code: I'm a thought partner for engineering leadership, not a coding assistant.";
    expect(checkRefusal(turn({ refusalKind: 'review_code' }, reviewNotCoding)).status).toBe('pass');
    expect(checkRefusal(turn({ refusalKind: 'review_code' }, reviewCode)).status).toBe('pass');
    expect(checkRefusal(turn({ refusalKind: 'off_topic' }, offTopic, 'off_topic')).status).toBe('pass');
  });

  it('fails an off-topic redirection with no example of a question it covers', () => {
    const verdict = checkRefusal(turn({ refusalKind: 'off_topic' }, offTopicWithoutExample, 'off_topic'));
    expect(verdict.status === 'fail' && verdict.detail).toMatch(/no example/);
  });

  it('fails "write a Python script" declined in pull-request words', () => {
    const verdict = checkRefusal(turn({ refusalKind: 'write_code' }, writeCodeInReviewWords));
    expect(verdict.status === 'fail' && verdict.detail).toMatch(/words of review_code/);
  });

  it('fails the wrong reason, reported or worded', () => {
    expect(checkRefusal(turn({ refusalKind: 'write_code' }, reviewCode)).status).toBe('fail');
    expect(checkRefusal(turn({ refusalKind: 'review_code' }, writeCode, 'refused', 'write_code')).status).toBe('fail');
    expect(checkRefusal(turn({ refusalKind: 'decide_for_user' }, 'Split the team in two [1].', 'answered')).status).toBe('fail');
    expect(
      checkRefusal(turn({ refusalKind: 'decide_for_user' }, "I can't make that call for you, but what matters most here?", 'answered'))
        .status,
    ).toBe('pass');
  });

  it('fails "the capital of France" answered with "I won\'t guess" instead of what Cairn covers', () => {
    const verdict = checkRefusal(turn({ refusalKind: 'off_topic' }, wontGuess, 'no_support'));
    expect(verdict.status === 'fail' && verdict.detail).toMatch(/won't guess/);
    const bare = checkRefusal(turn({ refusalKind: 'off_topic' }, 'That is outside what I cover.', 'refused', 'off_topic'));
    expect(bare.status === 'fail' && bare.detail).toMatch(/what Cairn covers/);
  });

  it('does not apply where nothing is to be declined', () => {
    expect(checkRefusal(turn({ outcome: 'answered' }, 'A point [1].', 'answered')).status).toBe('na');
  });
});
