import { describe, expect, it } from 'vitest';
import { personaFrameworks } from './persona-frameworks.js';

describe('personaFrameworks: what speaks of a framework', () => {
  const naming = personaFrameworks.find((framework) => framework.name === "Naming What's Happening")!;

  it('reads naming as the technique only with what is named', () => {
    expect(naming.mentions.test('Often the best response is simply naming what is happening so the group can decide.')).toBe(true);
    expect(naming.mentions.test('Naming your own state can itself lower the temperature.')).toBe(true);
    expect(naming.mentions.test('When tension rises, the facilitator describes what they observe.')).toBe(true);
    expect(naming.mentions.test('Resolving open questions, naming blockers and assigning owners benefit from being together.')).toBe(false);
  });
});
