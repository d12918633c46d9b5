import { describe, expect, it } from 'vitest';
import { readContext } from './read-context.js';
import { recogniseAssumptions } from './recognise-assumptions.js';
import type { AssumptionKind } from './types.js';

const recognise = (question: string) => recogniseAssumptions(question, readContext([], question));
const kinds = (question: string): AssumptionKind[] => recognise(question).map((assumption) => assumption.kind);
const challenge = (question: string, kind: AssumptionKind): string =>
  recognise(question).find((assumption) => assumption.kind === kind)?.challenge ?? '';

/** Words that would endorse the assumption instead of questioning it. */
const endorsement =
  /\b(?:(?:is|sounds like|seems like) a good idea|makes sense|you should (?:hire|fire|rewrite|reorg|ask)|go ahead|sounds right|definitely|you're right|that's right)\b/i;

describe('recogniseAssumptions', () => {
  it.each([
    ['We need to hire five more engineers to fix our velocity problem.', 'hire_more'],
    ['I want to ask for more headcount so we can keep up.', 'hire_more'],
    ["We're badly understaffed and the backlog keeps growing.", 'hire_more'],
    ['Leadership wants to throw more people at the launch.', 'hire_more'],
    ['Velocity is slow on my team. What should I do?', 'velocity_slow'],
    ['We keep adding engineers but delivery isn’t getting any faster.', 'velocity_slow'],
    ['Everything takes forever to ship here.', 'velocity_slow'],
    ["My team just isn't shipping fast enough.", 'velocity_slow'],
    ['We need a rewrite of the billing service.', 'rewrite'],
    ["I'm tempted to throw it away and start again from scratch.", 'rewrite'],
    ['Should I fire my tech lead?', 'fire_someone'],
    ["I'm thinking about letting Sam go.", 'fire_someone'],
    ['Should I put my report on a PIP?', 'fire_someone'],
    ['Should I promote Alex or Priya?', 'decide_for_me'],
    ['Just tell me what to do: yes or no?', 'decide_for_me'],
    ['Is it time to split the team?', 'decide_for_me'],
    ['A reorg will fix our ownership problems.', 'reorg_fixes'],
    ["What's the industry standard ratio of SREs to product engineers?", 'arbitrary_ratio'],
    ['How do I measure the productivity of each engineer?', 'individual_metrics'],
    ['Everyone is working weekends until the launch.', 'short_term_fix'],
    ['Am I overreacting?', 'seek_validation'],
    ["Staff engineers shouldn't be writing code anymore, right? I'm planning to tell mine to stop coding.", 'staff_stop_coding'],
    ['I want to ban our staff engineers from coding so they focus on architecture.', 'staff_stop_coding'],
    ["Our best engineer is brilliant technically, so I'm making him the manager of the team next week.", 'best_engineer_to_manager'],
    ['Our strongest engineer is great technically; I am promoting her to engineering manager next month.', 'best_engineer_to_manager'],
    ['We need to hire 10 senior engineers this year. How do I design the interview loop?', 'hire_more'],
    ["We're planning to add twenty engineers next year to hit the roadmap.", 'hire_more'],
    ["I can't delegate. My team is too junior, they'd mess it up.", 'cant_delegate'],
    ["Honestly it's faster if I just do it myself than explain it to the new hires.", 'cant_delegate'],
    ["I won't hand this off, they're not ready and the migration is too important.", 'cant_delegate'],
  ])('%j carries %s', (question, kind) => {
    expect(kinds(question)).toContain(kind);
  });

  it.each([
    'How do I hire a staff engineer?',
    'How should I design our interview loop? We need to hire two more engineers this year.',
    'How do I measure velocity?',
    'Our team is constantly firefighting. What should we do?',
    'How do I keep morale up during a launch?',
    "What's the time it takes to onboard a new hire?",
    'The board wants a number for engineering productivity without ranking individual engineers.',
    'Our on-call engineer kept putting out fires all weekend.',
    'How many engineers should one manager support?',
    'How much should a staff engineer code?',
    'My staff engineer wants to stop coding and move to architecture. How do I support that?',
    'Our best engineer asked to try management. How do I set her up to succeed?',
    'How do I delegate to a team that is still quite junior?',
    "My report says she can't delegate because her team is too junior. How do I coach her?",
  ])('%j carries none of the assumptions it only resembles', (question) => {
    expect(kinds(question)).toEqual([]);
  });

  it('challenges "hire more to fix velocity" with the problem behind it, and both assumptions', () => {
    const question = 'We need to hire five more engineers to fix our velocity problem.';
    expect(kinds(question)).toEqual(['hire_more', 'velocity_slow']);
    const hire = challenge(question, 'hire_more');
    expect(hire).toMatch(/five more engineers/);
    expect(hire).toMatch(/\?$/);
    expect(hire).not.toMatch(endorsement);
    expect(challenge(question, 'velocity_slow')).toMatch(/measure|compared/i);
  });

  it('asks how velocity is measured and what changed', () => {
    const text = challenge('Velocity is slow on my team.', 'velocity_slow');
    expect(text).toMatch(/measur/i);
    expect(text).toMatch(/changed|different/i);
  });

  it('asks what changed, not how it is measured, when the user already gave a measure', () => {
    const text = challenge('Our cycle time has doubled and velocity is down.', 'velocity_slow');
    expect(text).not.toMatch(/how (?:are you|do you) measur/i);
    expect(text).toMatch(/changed|move/i);
  });

  it("reads one person's low output as a performance matter, and a team's as the velocity claim", () => {
    expect(kinds('My engineer was diagnosed with depression and her output has dropped. Can I let her go for low output?')).not.toContain(
      'velocity_slow',
    );
    expect(kinds('His productivity is way down since the move. What do I say to him?')).not.toContain('velocity_slow');
    expect(kinds('Our output has dropped since the reorg.')).toContain('velocity_slow');
    expect(kinds("She says her team's output is low and wants two more engineers.")).toContain('velocity_slow');
  });

  it('reads taking a monolith apart into services as the bet of a rewrite, and asks what it would fix', () => {
    for (const question of [
      'We want to break up the monolith into microservices because deploys are slow.',
      'Should we move to microservices? Our builds take 45 minutes.',
      "I'm thinking of splitting our monolith so teams stop stepping on each other.",
    ]) {
      expect(kinds(question), question).toContain('rewrite');
      expect(challenge(question, 'rewrite'), question).toMatch(/monolith|split/);
    }
    expect(kinds('How do I keep our monolith healthy as the team grows?')).not.toContain('rewrite');
  });

  it('words the challenge for the person and the thing named', () => {
    expect(challenge('Should I fire my tech lead?', 'fire_someone')).toMatch(/your tech lead/);
    expect(challenge('Should I promote Alex or Priya?', 'decide_for_me')).toMatch(/promoting Alex.*promoting Priya/);
    expect(challenge('Should we merge it with another team?', 'decide_for_me')).toMatch(/merging it with another team/);
  });

  it('never endorses what it challenges', () => {
    const questions = [
      'We need to hire five more engineers to fix our velocity problem.',
      'We need a rewrite of the billing service.',
      'Should I fire my tech lead?',
      'A reorg will fix our ownership problems.',
      'Is asking for more headcount the right move?',
      'Everyone is working weekends until the launch.',
    ];
    for (const question of questions) {
      for (const assumption of recognise(question)) {
        expect(assumption.challenge, question).not.toMatch(endorsement);
        expect(assumption.challenge, question).toMatch(/\?$/);
      }
    }
  });
});

describe('velocity_slow without a verb of work', () => {
  it.each([
    'The board keeps saying engineering is too slow. What do I tell them?',
    'Honestly the team feels slow lately.',
    'Our engineers are way too slow.',
  ])('recognises "%s" and asks about the problem behind it', (question) => {
    expect(kinds(question)).toContain('velocity_slow');
    expect(challenge(question, 'velocity_slow')).toMatch(/\?$/);
  });

  it('does not read slowness of a system as a claim about the team', () => {
    expect(kinds('Our CI pipeline is slow; how do we speed up builds?')).not.toContain('velocity_slow');
  });
});

describe('recogniseAssumptions: leaders’ own words', () => {
  it.each([
    ['devs way too slow lately. what do i do', 'velocity_slow'],
    ['Features that took a sprint now take a quarter. How do I speed things up?', 'velocity_slow'],
    ['How can I make my engineers more productive?', 'velocity_slow'],
    ['We never ship anything on time anymore.', 'velocity_slow'],
    ["We don't have enough people to do everything the roadmap asks.", 'hire_more'],
    ['The VP says the answer to our slipping dates is simply more engineers.', 'hire_more'],
    ['We need more experienced engineers to keep up.', 'hire_more'],
    ["The team thinks the codebase can't be saved and we should begin again.", 'rewrite'],
    ['Our Java monolith has to be replaced from the ground up.', 'rewrite'],
    ['Is it time to throw away the old billing system?', 'rewrite'],
    ['I might have to show him the door.', 'fire_someone'],
    ['Do I cut her loose or give it one more month?', 'fire_someone'],
    ['Considering managing out an engineer who has coasted since spring.', 'fire_someone'],
    ['We have to double our headcount before the holiday launch. Where do I start?', 'hire_more'],
    ['Leadership wants a full rewrite of the reporting pipeline.', 'rewrite'],
    ['I plan to replace our in-house job scheduler with something off the shelf.', 'rewrite'],
  ])('%j → %s', (question, kind) => {
    expect(kinds(question)).toContain(kind);
    expect(challenge(question, kind as AssumptionKind)).not.toMatch(endorsement);
  });

  it('does not read rebuilding trust or a team as a rewrite', () => {
    expect(kinds('How do I rebuild trust with my team after the layoffs?')).not.toContain('rewrite');
    expect(kinds('We are rebuilding the team after three people left.')).not.toContain('rewrite');
  });

  it('words a choice between labelled options as those options', () => {
    const asked = challenge('Option one: keep one team. Option two: split by product line. You decide.', 'decide_for_me');
    expect(asked).toMatch(/keeping one team/i);
    expect(asked).toMatch(/splitting by product line/i);
  });
});

describe('recogniseAssumptions: who it asks about', () => {
  it('names the person without the clause that follows ("a senior dev who…" → "the senior dev")', () => {
    const asked = challenge('Thinking of letting go of a data engineer who has been checked out for months.', 'fire_someone');
    expect(asked).toMatch(/\bthe data engineer\b/);
    expect(asked).not.toMatch(/\bwho\b[^?]*\bwho\b/);
  });

  it('says back a person named at the start of a sentence without its capital, and a name with it', () => {
    const context = readContext([], 'My engineer has been struggling for months. Can I let her go?');
    const [assumption] = recogniseAssumptions('My engineer has been struggling for months. Can I let her go?', context);
    expect(assumption?.challenge).toMatch(/\byour engineer\b/);
    expect(assumption?.challenge).not.toMatch(/\bYour\b/);
    expect(challenge('Priya has missed every deadline. Should I let Priya go?', 'fire_someone')).toMatch(/\bPriya\b/);
  });
});

describe('recogniseAssumptions: a whole team removed, and a new leader changing things at once', () => {
  it('asks what removing a whole team solves, not whether one person heard feedback', () => {
    const question = "I'm going to fire my whole QA team and have developers test their own code starting next week.";
    expect(kinds(question)).toContain('cut_team');
    expect(kinds(question)).not.toContain('fire_someone');
    expect(challenge(question, 'cut_team')).toMatch(/your whole QA team/);
    expect(challenge(question, 'cut_team')).not.toMatch(endorsement);
    expect(kinds('Should I fire my tech lead? He keeps missing deadlines.')).toContain('fire_someone');
    for (const other of [
      "We're going to disband the data platform squad next month and hand their pipelines to the product teams.",
      "I'll be laying off our entire support engineering department after the quarter closes.",
    ]) {
      expect(kinds(other), other).toContain('cut_team');
      expect(kinds(other), other).not.toContain('fire_someone');
    }
    expect(kinds('We cut the scope of the project in half.')).not.toContain('cut_team');
  });

  it('questions sweeping changes a new leader announces straight away', () => {
    const question =
      "I'm a new CTO and I already see three things I want to change on day one: the deploy process, the on-call rotation, and the team structure.";
    expect(kinds(question)).toContain('change_before_understanding');
    expect(challenge(question, 'change_before_understanding')).not.toMatch(endorsement);
    const townHall =
      "I came in as VP Engineering two weeks ago, and at next Tuesday's all-hands I'm announcing a switch from Scrum to Kanban for every team.";
    expect(kinds(townHall)).toContain('change_before_understanding');
    // New, but listening first; or changing things, but not new.
    expect(kinds("I'm a new CTO. What should I learn in my first week before I change anything?")).not.toContain(
      'change_before_understanding',
    );
    expect(kinds('We want to change the on-call rotation right away after last week’s outage.')).not.toContain(
      'change_before_understanding',
    );
  });

  it('questions 1:1s given up for a standup, a move into management as a cure, criticism kept for the review, and one hire to fix a system', () => {
    const cases: [string, AssumptionKind][] = [
      ["I'm going to stop doing 1:1s since we have daily standup and I see everyone there anyway.", 'replace_one_on_ones'],
      ["We're thinking of replacing our weekly one-on-ones with a team retro.", 'replace_one_on_ones'],
      ['Can a Slack check-in work instead of 1:1s for a remote team?', 'replace_one_on_ones'],
      ["My best engineer is a bit burnt out, so I'm going to promote him to manager. That should re-energize him.", 'promotion_as_cure'],
      ["She's bored and a flight risk; I'm thinking of making her a team lead.", 'promotion_as_cure'],
      [
        "I'll put all the negative feedback in the written performance review so it's documented. No need to discuss any of it beforehand.",
        'feedback_saved_for_review',
      ],
      ["I'm saving my concerns about his code quality for the annual review.", 'feedback_saved_for_review'],
      ["I'm thinking of hiring a staff engineer to fix our architecture problems.", 'one_hire_fixes'],
      ['We plan to hire a principal architect who will sort out the tech debt.', 'one_hire_fixes'],
    ];
    for (const [question, kind] of cases) {
      expect(kinds(question), question).toContain(kind);
      expect(challenge(question, kind), question).not.toMatch(endorsement);
    }
  });

  it('leaves alone the same words where they make no such claim', () => {
    for (const [question, kind] of [
      ['My manager keeps skipping our 1:1s. How do I raise it?', 'replace_one_on_ones'],
      ['How do I run better 1:1s with a report who only talks about status?', 'replace_one_on_ones'],
      ['My best engineer wants to move into management. How do I set her up to succeed?', 'promotion_as_cure'],
      ['How do I promote someone to manager without losing a strong engineer?', 'promotion_as_cure'],
      ['How should I phrase negative feedback in a written performance review?', 'feedback_saved_for_review'],
      ["We're hiring a staff engineer. What should the interview loop look like?", 'one_hire_fixes'],
    ] as [string, AssumptionKind][])
      expect(kinds(question), question).not.toContain(kind);
  });

  it('does not ask what someone did wrong where they are let go for the business’s reasons, or where the user doubts another’s plan', () => {
    for (const question of [
      'One of my engineers is on an H-1B visa and we may have to let her go. How many days does she have to find a new sponsor?',
      'I have to lay off two people from my team of eight next week. How do I tell them?',
      'HR wants me to put someone on a PIP, but I think the real problem is that we put her on the wrong project.',
    ])
      expect(kinds(question), question).not.toContain('fire_someone');
    expect(kinds('Should I put my report on a PIP?')).toContain('fire_someone');
  });
});
