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

  it('coaches the one who received feedback to ask for an observation, and the one who gives it to prepare one', () => {
    const received = "got feedback from my own manager that I'm 'not strategic enough'. no examples given. what do i do";
    expect(applyFramework('Feedback Equation', contextOf(received), received)).toMatch(/^Turn the label you were given/);
    const told = "My manager told me I'm not strategic enough. What do I do with that?";
    expect(applyFramework('Feedback Equation', contextOf(told), told)).toMatch(/^Turn the label you were given/);
    // Someone telling the user how they are is no feedback to the user.
    const burnout = "I think my tech lead is burning out. She's snapping at people and she told me she's 'fine'. What should I do?";
    expect(applyFramework('Feedback Equation', contextOf(burnout), burnout)).toMatch(/^Before you talk to your tech lead/);
    const given = 'How do I give feedback to my tech lead who keeps missing deadlines?';
    expect(applyFramework('Feedback Equation', contextOf(given), given)).toMatch(/^Before you talk to your tech lead/);
  });

  it('speaks to the user when they seek a sponsor or a promotion themselves (session 33 audit: "what your skip-level needs")', () => {
    const own = 'How do I get someone senior to actually go to bat for me in calibration? My skip-level barely knows my name.';
    expect(applyFramework('Sponsorship vs Mentorship', contextOf(own), own)).toMatch(/^Tell apart what you need: .*advocating for you/);
    const theirs = 'My report keeps getting passed over for promotion. How do I help her?';
    expect(applyFramework('Sponsorship vs Mentorship', contextOf(theirs), theirs)).not.toMatch(/what you need/);
    const promo = "I've been told I'm operating at staff level but my promo keeps getting pushed. What am I missing?";
    expect(applyFramework('Staff Archetypes', contextOf(promo), promo)).toMatch(/judging your own role against it/);
  });

  it('holds the archetypes against the engineer the user leads, or the user in that role, never their manager', () => {
    const own = "I'm a staff engineer and I spend all my time in meetings with my manager. Is that the job?";
    expect(applyFramework('Staff Archetypes', contextOf(own), own)).toMatch(/before judging your own role against it/);
    const led = 'My staff engineer wants to be an architect. How do I help?';
    expect(applyFramework('Staff Archetypes', contextOf(led), led)).toMatch(/before judging your staff engineer against it/);
  });
});
