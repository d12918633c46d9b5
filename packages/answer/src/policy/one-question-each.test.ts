import { describe, expect, it } from 'vitest';
import { planAnswer } from './plan-answer.js';

/** Leaders' questions across the spec's topics and assumptions, first turns and follow-ups. */
const conversations: string[][] = [
  ['Velocity is slow on my team. What should I do?', 'We measure story points and they dropped by a third.'],
  ['We need to hire five more engineers to fix our velocity problem.'],
  ['Our monolith is a mess and we need a rewrite. How do I sell it?'],
  ['Should I fire my tech lead? He keeps missing deadlines.'],
  ['What ratio of platform to product engineers should we have?'],
  ['If we push hard this quarter we can catch up. How do I get the team to do it?'],
  ['How should I structure my engineering org?', 'About 40 engineers in six teams at a series B startup.'],
  ['How do I give feedback to a peer who keeps interrupting me?'],
  ['My best engineer is quitting. How do I keep the rest of the team?'],
  ['How do I write an engineering strategy?'],
  ["I'm a new director starting next month. What should my first 90 days look like?"],
  ['How do I design a hiring loop for staff engineers?'],
  ['How do I run a retro where people actually speak up?'],
  ['Our infrastructure team is drowning in tickets. What should I change?'],
  ['How do I get tech debt onto the roadmap?'],
];

describe('the policy asks one question per clarifying question', () => {
  it.each(conversations.map((turns) => [turns.at(-1)!, turns] as const))(
    'each question it asks after "%s" is one sentence ending in its only question mark',
    (_last, turns) => {
      const history = turns.slice(0, -1).map((question) => ({ question, answer: 'An earlier answer.' }));
      const plan = planAnswer(history, turns.at(-1)!);
      for (const asked of plan.clarifyingQuestions) {
        expect(asked, asked).toMatch(/\?$/);
        expect(asked.match(/\?/g), asked).toHaveLength(1);
      }
    },
  );
});
