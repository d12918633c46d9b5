import { describe, expect, it } from 'vitest';
import { applyFramework } from './apply-frameworks.js';
import { readContext } from './policy/read-context.js';

const contextOf = (question: string) => readContext([], question);

describe('applyFramework', () => {
  it('lays the org or company the user gave over the architecture, never one team or a ratio', () => {
    expect(applyFramework('Technical Coherence', contextOf("We're a 60-person org. How should teams own services?"))).toMatch(
      /^Lay your 60-person org over/,
    );
    expect(applyFramework('Technical Coherence', contextOf("It's a team of 5 and we own 14 services. How do we split them?"))).toMatch(
      /^Lay your organisation over/,
    );
    const ratio = contextOf('If we have one engineering manager per 5 engineers, how do I restructure my 40-person org?');
    expect(applyFramework('Technical Coherence', ratio)).toMatch(/^Lay your 40-person org over/);
  });
});
