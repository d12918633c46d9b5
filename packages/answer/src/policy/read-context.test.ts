import { describe, expect, it } from 'vitest';
import { describeContext, hasFact, readContext } from './read-context.js';

const read = (question: string) => readContext([], question);

describe('readContext: sizes', () => {
  it.each([
    ['I run a 60-person org and my managers do not trust each other.', 60, 'people', 'org'],
    ["We're a 200-person company trying to scale hiring.", 200, 'people', 'company'],
    ["We're at 120 engineers and I can't explain why we have the teams we have.", 120, 'engineers', 'org'],
    ['Our single infra team of twelve is drowning in requests.', 12, 'people', 'team'],
    ["Our three-person team can't sustain a pager rotation.", 3, 'people', 'team'],
    ['I have 7 direct reports and no time.', 7, 'reports', 'team'],
    ["I'm about to become a director of six teams.", 6, 'teams', 'org'],
    ['I lead a team of 8 engineers.', 8, 'engineers', 'team'],
  ])('%j → %i %s (%s)', (question, count, unit, scope) => {
    const size = read(question).size;
    expect(size).toMatchObject({ count, unit, kind: scope });
  });

  it('reads a size said in words ("a small team") with no number', () => {
    expect(read('We are a small team at a seed-stage company.').size).toMatchObject({ count: null, kind: 'team', phrase: 'small team' });
  });

  it('does not take a hiring plan, a part of the team or staff engineers for a size', () => {
    expect(read('We need to hire five more engineers to fix our velocity problem.').sizes).toEqual([]);
    expect(read('Two of my engineers keep arguing in design reviews.').sizes).toEqual([]);
    expect(read('I just inherited two staff engineers.').sizes).toEqual([]);
  });

  it('lets a later turn update an earlier size, and keeps the sentence each came from', () => {
    const context = readContext(
      [{ question: "We're a 200-person company. How should I structure the org?" }],
      "Actually we're 250 people now.",
    );
    expect(context.size).toMatchObject({ count: 250, kind: 'company', turn: 1, source: "Actually we're 250 people now." });
    expect(context.sizes).toHaveLength(1);
  });

  it('takes a correction, not the number it corrects', () => {
    expect(read("We're 80 engineers, not 60 engineers.").sizes.map((size) => size.count)).toEqual([80]);
  });
});

describe('readContext: stage, role, constraints, tried, people', () => {
  it.each([
    ['I start as CTO of a 60-person startup in two weeks.', 'startup'],
    ['We just raised our Series B.', 'early'],
    ['We are a Series D company growing fast.', 'growth'],
    ["We're a publicly traded company with strict change control.", 'public'],
    ['I work at a 30-year-old bank.', 'established'],
  ])('stage of %j is %s', (question, stage) => {
    expect(read(question).stage?.kind).toBe(stage);
  });

  it.each([
    ["I'm a new engineering manager taking over an existing team.", 'engineering_manager', true],
    ["I'm about to become a director of six teams.", 'director', true],
    ['I start as CTO of a 60-person startup in two weeks.', 'cto', true],
    ["I'm a staff engineer with no formal authority.", 'staff_engineer', false],
    ['As a senior IC, how do I decide which projects are worth my time?', 'senior_engineer', false],
    ['I want a senior IC who acts as an extension of me as VP.', 'vp', false],
    ["I'm the only principal engineer at my company.", 'principal_engineer', false],
    ["I've been a senior eng for 4 years and the promo never happens.", 'senior_engineer', false],
    ['How do I take criticism from my own reports without getting defensive?', 'engineering_manager', false],
  ])('role of %j is %s (new: %s)', (question, role, isNew) => {
    expect(read(question).role).toMatchObject({ kind: role, isNew });
  });

  it("does not mistake the people the user mentions for the user's role", () => {
    expect(read('Should I fire my tech lead?').role?.kind).not.toBe('tech_lead');
    // Someone who speaks of "my staff engineer" manages them; they are not the staff engineer.
    expect(read('My staff engineer wins every design argument.').role?.kind).toBe('engineering_manager');
    expect(read('Our staff engineer wins every design argument.').role).toBeUndefined();
  });

  it('reads "my own reports" as the people involved, as "my reports"', () => {
    expect(read('How do I take criticism from my own reports without getting defensive?').people).toMatchObject([{ kind: 'report' }]);
  });

  it('reads constraints, each with its kind', () => {
    const kinds = (question: string) => read(question).constraints.map((constraint) => constraint.kind);
    expect(kinds("There's a hiring freeze and my CEO wants the strategy by next month.")).toEqual(['headcount_freeze', 'deadline']);
    expect(kinds('We are fully remote across five time zones.')).toEqual(['remote']);
    expect(kinds("I'm a staff engineer with no formal authority.")).toEqual(['no_authority']);
    expect(kinds('Finance suddenly cares about our cloud bill.')).toEqual(['budget']);
    expect(kinds('How do I write a strategy?')).toEqual([]);
  });

  it('reads what has been tried, and "nothing yet" as known', () => {
    expect(read('We tried weekly demos but they did not work.').tried[0]).toMatchObject({ kind: 'tried', phrase: 'We tried weekly demos' });
    expect(read('For months I gave my report gentle hints about their code reviews.').tried[0]?.kind).toBe('tried');
    expect(read("We haven't tried anything yet.").tried[0]?.kind).toBe('nothing');
    expect(read('Should we try pairing?').tried).toEqual([]);
    expect(read('I just started as CTO.').tried).toEqual([]);
  });

  it('reads the people involved, with their relation', () => {
    const people = (question: string) => read(question).people.map((person) => [person.kind, person.phrase]);
    expect(people('Should I fire my tech lead?')).toEqual([['tech_lead', 'my tech lead']]);
    expect(people('My boss is great but one of my senior engineers is struggling.')).toEqual([
      ['manager', 'My boss'],
      ['senior_engineer', 'one of my senior engineers'],
    ]);
    expect(people('How do I tell a peer that their messages are curt?')).toEqual([['peer', 'a peer']]);
    expect(people('A woman on my team keeps getting passed over.')).toEqual([['report', 'A woman on my team']]);
    expect(people('My lead engineer pads every estimate.')).toEqual([['tech_lead', 'My lead engineer']]);
  });

  it("reads the user's turns only, never Cairn's answers", () => {
    const context = readContext(
      [
        {
          question: 'How should I structure my org?',
          answer: 'How many engineers are there? A 500-person company at series C would differ.',
        },
      ],
      'What about reporting lines?',
    );
    expect(context.sizes).toEqual([]);
    expect(context.stage).toBeUndefined();
    expect(context.earlierAnswers).toHaveLength(1);
  });

  it('describes what it knows, and says whether a kind of fact is known', () => {
    const context = read("I'm a new EM at a Series A startup; we have 6 engineers and tried pairing.");
    expect(hasFact(context, 'size')).toBe(true);
    expect(hasFact(context, 'people')).toBe(false);
    expect(describeContext(context).join('\n')).toMatch(
      /Size: 6 engineers[\s\S]*Company stage: early[\s\S]*Their role: engineering manager \(new to it\)/,
    );
  });
});

describe('readContext: sizes and roles as leaders write them', () => {
  it('reads a size with words between the count and the group, or with no group named', () => {
    expect(read('I joined a 250-person privately held company as VP.').size).toMatchObject({ count: 250, kind: 'company' });
    expect(read("we're a 35-person series A, mostly backend").size).toMatchObject({ count: 35, kind: 'org' });
  });

  it('reads a role said as a greeting', () => {
    expect(read('First-time CTO here, what should I do in week one?').role).toMatchObject({ kind: 'cto', isNew: true });
    expect(read('Tech lead here. My team argues about everything.').role).toMatchObject({ kind: 'tech_lead' });
  });
});

describe('readContext: people named by name', () => {
  it('reads a first name where a person is acted on or spoken of, and not a product or a weekday', () => {
    expect(read('I keep going back and forth on whether to let Marco go.').people.map((person) => person.phrase)).toContain('Marco');
    expect(read('My designer Ines and I disagree about scope.').people.map((person) => person.phrase)).toContain('Ines');
    expect(read('We moved to Kafka on Monday and told Stripe about it.').people).toEqual([]);
  });
});
