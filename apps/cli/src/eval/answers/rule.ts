import type { AnswerTurn } from './answer-set.js';
import type { EvaluatedAnswer } from './answer-text.js';

/** What a rule says of one turn: it holds, it does not (and why), or it does not apply. */
export type Verdict = { status: 'pass' } | { status: 'fail'; detail: string } | { status: 'na' };

export const pass: Verdict = { status: 'pass' };
export const notApplicable: Verdict = { status: 'na' };
export const fail = (detail: string): Verdict => ({ status: 'fail', detail });

/** An earlier turn of the conversation: what was asked and what came back. */
export interface EarlierTurn {
  question: string;
  result: EvaluatedAnswer;
}

/** Everything a rule sees of a turn: the turn and its expectation, the conversation so far, the answer. */
export interface TurnUnderTest {
  /** The conversation's id in the set. */
  conversationId: string;
  /** The turn's position in its conversation (0 for the first). */
  index: number;
  turn: AnswerTurn;
  /** The earlier turns of this conversation, oldest first. */
  previous: readonly EarlierTurn[];
  result: EvaluatedAnswer;
}

/** A rule judged one turn at a time. */
export interface TurnRule {
  id: string;
  description: string;
  check(turn: TurnUnderTest): Verdict;
}

/** A rule judged over the whole set (how often something recurs): one verdict per turn, in order. */
export interface SetRule {
  id: string;
  description: string;
  checkAll(turns: readonly TurnUnderTest[]): Verdict[];
}

export type AnswerRule = TurnRule | SetRule;
