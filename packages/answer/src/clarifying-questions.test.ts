import { describe, expect, it } from 'vitest';
import { clarifyingQuestions, missingContext } from './clarifying-questions.js';

describe('clarifyingQuestions', () => {
  it('asks at most two questions when an advisory question lacks context', () => {
    const questions = clarifyingQuestions('How should I structure my engineering org?');
    expect(questions).toEqual([
      'How large is the team or organisation involved, and how is it structured today?',
      'What stage is the company at (early startup, scaling, or established), and how fast is it growing?',
    ]);
  });

  it('asks nothing when the context is given or the question is about a framework', () => {
    expect(
      clarifyingQuestions(
        'We are a 40-person series B startup with 12 engineers; we tried weekly demos but they did not work. How should I structure the team?',
      ),
    ).toEqual([]);
    expect(clarifyingQuestions('What is the BICEPS model?')).toEqual([]);
  });

  it('challenges the assumptions the persona is told to challenge', () => {
    expect(clarifyingQuestions('We need to hire more engineers to ship faster.')[0]).toMatch(/^What problem would more engineers solve/);
    expect(clarifyingQuestions('Our velocity is too slow.')[0]).toMatch(/^How are you measuring velocity/);
  });

  it('lists the missing kinds of context in order', () => {
    expect(missingContext('We are a seed-stage startup of 8 engineers.')).toEqual(['already_tried', 'constraints']);
  });
});
