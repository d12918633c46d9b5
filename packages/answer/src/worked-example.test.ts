import { describe, expect, it } from 'vitest';
import { composeExtractiveAnswer } from './compose-extractive-answer.js';
import { planAnswer } from './policy/plan-answer.js';
import { asksForWords, behaviourOf, exampleFrameworks, workedExample } from './worked-example.js';

describe('behaviourOf', () => {
  it('says the behaviour the user told back to the person, in the second person', () => {
    expect(behaviourOf('Can you give me an example for an engineer who keeps missing standups?')).toBe('you keep missing standups');
    expect(behaviourOf('My tech lead always interrupts the junior engineers in design reviews.')).toBeUndefined();
    expect(behaviourOf('a senior dev who always pushes his changes without review')).toBe('you always push your changes without review');
    expect(behaviourOf('She keeps skipping the retro and blaming the process.')).toBe(
      'you keep skipping the retro and blaming the process',
    );
    expect(behaviourOf('an engineer who misses every deadline')).toBe('you miss every deadline');
    expect(behaviourOf('How do I give feedback?')).toBeUndefined();
  });
});

describe('workedExample', () => {
  it('knows a request for an example or for words, and not a question that only mentions one', () => {
    for (const question of ['OK, can you give me an example?', 'What do I actually say to her?', 'How would I word it?'])
      expect(asksForWords.test(question), question).toBe(true);
    expect(asksForWords.test('How do I set an example for my team as a new manager?')).toBe(false);
  });

  it('fills the Feedback Equation with the behaviour told, and leaves the impact to the user', () => {
    const example = workedExample('Feedback Equation', ['OK, can you give me an example for an engineer who keeps missing standups?']);
    expect(example).toMatch(/^"I've noticed you keep missing standups \[when: .*\]\. When that happens, \[the impact: /);
    expect(workedExample('Feedback Equation', ['Give me an example.'])).toBeUndefined();
    expect(workedExample('Staff Archetypes', ['Give me an example of an engineer who keeps missing standups.'])).toBeUndefined();
  });

  it('puts the example in the answer and the instruction in the prompt when the user asks for one', () => {
    const turns = [{ question: "What's the feedback equation?", answer: 'Observation, impact, request. [1]' }];
    const question = 'OK, can you give me an example for an engineer who keeps missing standups?';
    const plan = planAnswer(turns, question);
    expect(plan.promptSection).toMatch(/give one short worked example/);
    expect(plan.frameworks.map((framework) => framework.name)).toContain('Feedback Equation');
    const composed = composeExtractiveAnswer(question, [], { plan });
    expect(composed.text).toMatch(
      /\*\*An example, in your situation\*\*\n- \*\*Feedback Equation:\*\* "I've noticed you keep missing standups/,
    );
    expect(planAnswer([], 'How do I give feedback to an engineer who keeps missing standups?').promptSection).not.toMatch(/worked example/);
  });
});

describe('exampleFrameworks', () => {
  it("adds Naming What's Happening's words where the conversation tells of people at odds in a room", () => {
    const said = [
      'What do I actually say in the next meeting when it starts up again?',
      'My two tech leads keep fighting in our architecture meetings.',
    ];
    expect(exampleFrameworks([], said)).toEqual(["Naming What's Happening"]);
    expect(exampleFrameworks(['Feedback Equation'], ['What do I say to an engineer who keeps missing standups?'])).toEqual([
      'Feedback Equation',
    ]);
  });
});
