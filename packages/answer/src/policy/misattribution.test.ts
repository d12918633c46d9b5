import { describe, expect, it } from 'vitest';
import { composeExtractiveAnswer } from '../compose-extractive-answer.js';
import { authorshipAnswer, misattribution } from './misattribution.js';
import { planAnswer } from './plan-answer.js';

describe('misattribution', () => {
  it('corrects a framework credited to another of the authors, in whatever words', () => {
    expect(misattribution("Lara Hogan's Staff Archetypes say every staff engineer should be a Solver first.")).toBe(
      '**A correction first:** Staff Archetypes comes from Will Larson, not Lara Hogan.',
    );
    expect(misattribution('How would I use the BICEPS model from Will Larson with a team that just lost its manager?')).toMatch(
      /BICEPS comes from Lara Hogan, not Will Larson/,
    );
    expect(misattribution("Larson's feedback equation feels clunky. Is there a shorter version?")).toMatch(
      /Feedback Equation comes from Lara Hogan, not Will Larson/,
    );
  });

  it('corrects a framework credited to someone outside the three authors, by a possessive or by "by/from"', () => {
    expect(misattribution("How do I use Kim Scott's BICEPS model to understand why my engineer reacted so badly to the reorg?")).toBe(
      '**A correction first:** BICEPS comes from Lara Hogan, not Kim Scott.',
    );
    expect(misattribution('Is the feedback equation from Camille Fournier better than SBI?')).toMatch(
      /Feedback Equation comes from Lara Hogan, not Camille Fournier/,
    );
    expect(misattribution('We tried the Staff Archetypes framework by Tanya Reilly and it felt rigid.')).toMatch(
      /Staff Archetypes comes from Will Larson, not Tanya Reilly/,
    );
    // A name that is not the credit, and a right credit beside another name, are left alone.
    expect(misattribution('Priya Shah read about BICEPS and wants to try it in our retro. Good idea?')).toBeUndefined();
    expect(misattribution("Kim Scott's Radical Candor and Lara Hogan's BICEPS: how do they fit together?")).toBeUndefined();
    expect(misattribution('How do I apply the Staff Archetypes to my team?')).toBeUndefined();
  });

  it('leaves right credits alone, each framework read with the author named nearest to it', () => {
    expect(
      misattribution("Will Larson's staff archetypes and Lara Hogan's BICEPS: which helps with a tech lead who feels sidelined?"),
    ).toBe(undefined);
    expect(misattribution('Jack Danger writes about technical coherence. How do I start?')).toBeUndefined();
    // Larson's own guide on finding a sponsor is no credit of Hogan's sponsorship framework.
    expect(misattribution('Will Larson says to find a sponsor. How do I do that?')).toBeUndefined();
    expect(misattribution('How do I apply the staff archetypes to my team?')).toBeUndefined();
  });

  it('reads a possessive just before a framework as its credit, whoever else the sentence names', () => {
    expect(misattribution("How does Will Larson's feedback equation work, and how does it relate to Lara Hogan's staff archetypes?")).toBe(
      '**A correction first:** Staff Archetypes comes from Will Larson, not Lara Hogan. Feedback Equation comes from Lara Hogan, not Will Larson.',
    );
    expect(misattribution("How does Lara Hogan's feedback equation fit with Will Larson's staff archetypes?")).toBeUndefined();
  });

  it('opens the answer plan with it, and tells the chat model to correct it', () => {
    const plan = planAnswer([], "Lara Hogan's Staff Archetypes say every staff engineer should be a Solver first. How do I apply that?");
    expect(plan.correction).toMatch(/Will Larson, not Lara Hogan/);
    expect(plan.promptSection).toMatch(/credits a framework to the wrong author/);
    expect(planAnswer([], 'How do I apply the staff archetypes to my team?').correction).toBeUndefined();
    const question = 'How would I use the BICEPS model from Will Larson with a team that just lost its manager?';
    const composed = composeExtractiveAnswer(question, [], { plan: planAnswer([], question) });
    expect(composed.text.split('\n\n')[1]).toBe('**A correction first:** BICEPS comes from Lara Hogan, not Will Larson.');
  });
});

describe('authorshipAnswer', () => {
  it('answers whose a named framework is, asked in a follow-up or outright', () => {
    expect(authorshipAnswer('And BICEPS -- is that also his?')).toBe("**Where it comes from:** BICEPS is Lara Hogan's.");
    expect(authorshipAnswer('Who came up with the staff archetypes?')).toBe("**Where it comes from:** Staff Archetypes is Will Larson's.");
    expect(authorshipAnswer("Is technical coherence Larson's too?")).toBe("**Where it comes from:** Technical Coherence is Jack Danger's.");
    expect(planAnswer([], 'And BICEPS -- is that also his?').correction).toMatch(/BICEPS is Lara Hogan's/);
  });

  it('says nothing where no framework is named or none is asked about', () => {
    expect(authorshipAnswer('Who came up with our on-call rotation?')).toBeUndefined();
    expect(authorshipAnswer('How do I use BICEPS with a report who is upset about the reorg?')).toBeUndefined();
  });
});
