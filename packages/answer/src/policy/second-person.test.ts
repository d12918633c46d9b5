import { describe, expect, it } from 'vitest';
import { toSecondPerson } from './second-person.js';

describe('toSecondPerson', () => {
  it.each([
    ["I'm a new engineering manager taking over an existing team.", "You're a new engineering manager taking over an existing team."],
    ['My boss gives me zero technical feedback.', 'Your boss gives you zero technical feedback.'],
    ['We keep adding engineers to our org.', 'You keep adding engineers to your org.'],
    ["I've been doing staff-level work and I am tired.", "You've been doing staff-level work and you are tired."],
    ['I was the only manager, and the team trusted us.', 'You were the only manager, and the team trusted you.'],
    ['Am I overreacting to my report?', 'Are you overreacting to your report?'],
    ['An extension of me as VP across our 400-person org.', 'An extension of you as VP across your 400-person org.'],
  ])('says %j back as %j', (input, expected) => {
    expect(toSecondPerson(input)).toBe(expected);
  });

  it('turns a "you" addressed to Cairn into the first person, and keeps a generic "you"', () => {
    expect(toSecondPerson('Can you help me think this through?')).toBe('Can I help you think this through?');
    expect(toSecondPerson('What do you think of my plan?')).toBe('What do I think of your plan?');
    expect(toSecondPerson('How do you handle a report who misses deadlines?')).toBe('How do you handle a report who misses deadlines?');
  });

  it('reads the "you" the user told something to as Cairn: "what I told you" is "what you told me"', () => {
    expect(toSecondPerson('What should my first 30 days look like, given what I told you?')).toBe(
      'What should your first 30 days look like, given what you told me?',
    );
    expect(toSecondPerson('As I mentioned to you, we have 40 engineers.')).toBe('As you mentioned to me, you have 40 engineers.');
    // Someone else telling "you" is not the user speaking to Cairn.
    expect(toSecondPerson('My boss told you nothing.')).toBe('Your boss told you nothing.');
  });

  it('keeps proper nouns, acronyms and "US"', () => {
    expect(toSecondPerson('Our CTO and Priya moved the US team to AWS.')).toBe('Your CTO and Priya moved the US team to AWS.');
  });
});
