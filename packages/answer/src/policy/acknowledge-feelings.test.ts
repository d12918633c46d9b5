import { describe, expect, it } from 'vitest';
import { composeExtractiveAnswer } from '../compose-extractive-answer.js';
import { acknowledgement } from './acknowledge-feelings.js';
import { planAnswer } from './plan-answer.js';

describe('acknowledgement', () => {
  it("hears the user's own strong feeling before any advice", () => {
    const question =
      "My director called my team the weakest in the org in front of my peers. I'm honestly shaking and I don't know if I can do this job. What do I do?";
    const plan = planAnswer([], question);
    expect(plan.feelings).toMatch(/^\*\*First, how you're doing:\*\*/);
    expect(plan.promptSection).toMatch(/acknowledge it in a sentence/);
    const composed = composeExtractiveAnswer(question, [], { plan });
    expect(composed.text.split('\n\n')[1]).toBe(plan.feelings);
    for (const said of [
      "I've been so drained since the reorg, and I still have to run calibration. How do I prepare?",
      'i feel like a fraud leading staff engineers who know more than me. how do i lead them?',
      'I cried after my skip-level today. How should I follow up with my director?',
    ])
      expect(acknowledgement(said), said).toBeDefined();
  });

  it("says nothing of feelings told of someone else, or of a plan's state, and leaves a crisis to its own answer", () => {
    for (const question of [
      'My tech lead is exhausted after three launches. How do I give her room?',
      'The migration is a mess and the team is overwhelmed. How do I reset the plan?',
      'How do I run a retro when the team feels burned out?',
    ])
      expect(acknowledgement(question), question).toBeUndefined();
    expect(planAnswer([], "I'm exhausted and I don't want to be alive anymore.").feelings).toBeUndefined();
  });
});
