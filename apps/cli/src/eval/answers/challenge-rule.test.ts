import { describe, expect, it } from 'vitest';
import type { TurnExpectation } from './answer-set.js';
import { checkChallenge } from './challenge-rule.js';

const turn = (expect: TurnExpectation, answer: string, clarifyingQuestions: string[] = []) => ({
  turn: { question: 'We need to hire five more engineers to fix our velocity problem.', expect },
  result: { answer, citations: [{ n: 1, author: 'Will Larson' }], outcome: 'answered', clarifyingQuestions },
});

const hireMore: TurnExpectation = { challenge: true, assumption: 'hire_more' };

describe('challenging an assumption', () => {
  it('passes a question about what more engineers would solve', () => {
    const answer =
      '**What I understood:** you plan to hire five engineers.\n\n**Before I go further:** What problem would more engineers solve that focus would not?';
    expect(checkChallenge(turn(hireMore, answer, ['What problem would more engineers solve that focus would not?'])).status).toBe('pass');
  });

  it('passes a sentence that questions the premise without a question mark', () => {
    const answer = 'Adding people to a team that is treading water rarely helps at first, because onboarding slows everyone down.';
    expect(checkChallenge(turn(hireMore, answer)).status).toBe('pass');
  });

  it('does not count a cited sentence as the answer questioning the premise: that is the source speaking', () => {
    const answer = 'Adding people to a team that is treading water rarely helps at first, because onboarding slows everyone down [1].';
    expect(checkChallenge(turn(hireMore, answer)).status).toBe('fail');
  });

  it("fails the issue's answer, which endorsed hiring", () => {
    const answer = [
      '**What I understood:** you need to hire five more engineers.',
      '',
      '**What the sources say**',
      '- The fix is to add people, usually through hiring, while protecting morale. [1]',
      '',
      '**Before I go further:** What problem would more engineers solve?',
    ].join('\n');
    const verdict = checkChallenge(turn(hireMore, answer, ['What problem would more engineers solve?']));
    expect(verdict.status === 'fail' && verdict.detail).toMatch(/endorses/);
  });

  it('fails an answer that takes the premise as given', () => {
    const answer = '**What I understood:** you need to hire.\n\n- Write a clear job description and move quickly on offers [1].';
    expect(checkChallenge(turn(hireMore, answer)).status).toBe('fail');
  });

  it('speaks to the named assumption: velocity needs its measure questioned', () => {
    const velocity: TurnExpectation = { challenge: true, assumption: 'velocity_slow' };
    expect(
      checkChallenge(
        turn(velocity, 'Before anything else: how are you measuring velocity today?', ['How are you measuring velocity today?']),
      ).status,
    ).toBe('pass');
    expect(checkChallenge(turn(velocity, 'Cut meetings and protect focus time [1].')).status).toBe('fail');
  });

  it('asks a person-focused question before firing, and names criteria when asked to decide', () => {
    const fire: TurnExpectation = { challenge: true, assumption: 'fire_someone' };
    expect(checkChallenge(turn(fire, 'Have you told him directly what you expect, and what did he say?')).status).toBe('pass');
    expect(checkChallenge(turn(fire, 'Tech leads guide a team’s technical direction [1].')).status).toBe('fail');
    const decide: TurnExpectation = { challenge: true, assumption: 'decide_for_me' };
    expect(checkChallenge(turn(decide, 'The call is yours, but which criteria matter most to you here?')).status).toBe('pass');
  });

  it('does not apply where no challenge is expected', () => {
    expect(checkChallenge(turn({}, 'Anything.')).status).toBe('na');
    expect(checkChallenge(turn({ challenge: false }, 'Anything.')).status).toBe('na');
  });
});
