import { describe, expect, it } from 'vitest';
import { parseClarifyingTrailer } from './clarifying-trailer.js';
import { planAnswer } from './plan-answer.js';
import { ungrammaticalSummary } from './summarise.js';

const oldStockQuestion = 'How large is the team or organisation involved, and how is it structured today?';
const asksSize = /\bhow (?:many|large|big)\b|\bsize of\b|\bwhat does the (?:team|org) look like\b|\bshape today\b/i;

describe('planAnswer: the reported bugs', () => {
  it('does not ask the size of a team or org the user gave ("a 60-person org", "a 200-person company")', () => {
    for (const question of [
      "I run a 60-person org and my managers don't trust each other. How do I fix that?",
      "We're a 200-person company and our releases keep slipping. How should I organise engineering?",
      "We're a 200-person company. How should I structure my org?",
    ]) {
      const plan = planAnswer([], question);
      expect(plan.clarifyingQuestions, question).not.toContain(oldStockQuestion);
      for (const asked of plan.clarifyingQuestions) expect(asked, question).not.toMatch(asksSize);
      expect(plan.promptSection, question).toMatch(/What the user has told you[\s\S]*Size: /);
    }
  });

  it('answers "Velocity is slow on my team. What should I do?" by asking how velocity is measured', () => {
    const plan = planAnswer([], 'Velocity is slow on my team. What should I do?');
    expect(plan.refusal).toBeUndefined();
    expect(plan.intent).toBe('advice');
    expect(plan.assumptions.map((assumption) => assumption.kind)).toEqual(['velocity_slow']);
    expect(plan.clarifyingQuestions[0]).toMatch(/measur/i);
    expect(plan.clarifyingQuestions.length).toBeLessThanOrEqual(2);
    expect(plan.summary).toBe('You say that velocity is slow on your team, and you want to know what to do.');
  });

  it('challenges "We need to hire five more engineers to fix our velocity problem" instead of endorsing it', () => {
    const plan = planAnswer([], 'We need to hire five more engineers to fix our velocity problem.');
    expect(plan.assumptions.map((assumption) => assumption.kind)).toContain('hire_more');
    expect(plan.clarifyingQuestions[0]).toMatch(/five more engineers/);
    expect(plan.summary).not.toMatch(/^You need to hire/);
    expect(plan.promptSection).toMatch(/Assumptions to challenge[^\n]*never endorse it/);
    expect(plan.frameworks.map((framework) => framework.name)).toContain('Systems Thinking');
  });

  it('never writes "you\'re asking should you", keeps question marks, and never glues turns', () => {
    const plan = planAnswer([], 'Should I split my team?');
    expect(plan.summary).toBe('You want to know whether to split your team.');
    expect(plan.summary).not.toMatch(ungrammaticalSummary);

    const fallback = planAnswer([], 'Why are my engineers unhappy?');
    expect(fallback.summary.endsWith('?')).toBe(true);

    const earlier = 'We have 40 engineers. How should we structure on-call across our teams?';
    const followUp = planAnswer([{ question: earlier, answer: 'Here is how I think about it.' }], 'And how do I roll it out?');
    expect(followUp.followUp).toBe(true);
    expect(followUp.summary).not.toContain('40 engineers');
    expect(followUp.summary).not.toContain('How should we structure');
    expect(followUp.summary).toMatch(/^You now want to know how to roll out /);
  });
});

describe('planAnswer: follow-ups', () => {
  it('lets a follow-up update the facts, and does not ask again about them', () => {
    const turns = [
      {
        question: "We're a 200-person company. How should I structure the org?",
        answer: '**Before I go further:** What stage is the company at?',
      },
    ];
    const plan = planAnswer(turns, "We're a Series C company, 250 people now. We tried squads last year.");
    expect(plan.context.size?.count).toBe(250);
    expect(plan.context.stage?.kind).toBe('growth');
    expect(plan.context.tried).toHaveLength(1);
    expect(plan.followUp).toBe(true);
    expect(plan.topic).toBe('org_design');
    expect(plan.clarifyingQuestions.length).toBeLessThanOrEqual(1);
    for (const asked of plan.clarifyingQuestions) expect(asked).not.toMatch(/stage|how many|tried/i);
    expect(plan.summary).toMatch(/With that in mind, you still want to know how to structure the org\.$/);
  });

  it('resolves "it" in a follow-up to what was discussed', () => {
    const turns = [{ question: 'How should I introduce a career ladder for our SREs?', answer: 'Start with the expectations.' }];
    const plan = planAnswer(turns, 'How do I get my managers to buy into it?');
    expect(plan.resolvedQuestion).toBe('How do I get my managers to buy into the career ladder?');
    expect(plan.summary).toContain('the career ladder');
    expect(plan.topic).toBe('career_development');
  });
});

describe('planAnswer: a reply that adds facts', () => {
  it('goes back to the earlier question by its own topic, not the one the reply’s words lean to', () => {
    const plan = planAnswer(
      [{ question: 'Our on-call is killing the team. People are getting paged 3-4 times a night.', answer: 'An answer.' }],
      "It's a team of 5 and we own 14 services, most inherited from a team that got disbanded.",
    );
    expect(plan.summary).toMatch(/back to your question/);
    expect(plan.summary).not.toMatch(/first 90 days/);
  });
});

describe('planAnswer: refusals and shapes', () => {
  it('declines code and pull requests (from detectRefusal), with no questions or frameworks', () => {
    const code = planAnswer([], 'Write me a Python function that computes our DORA metrics.');
    expect(code.refusal).toBe('write_code');
    expect(code.clarifyingQuestions).toEqual([]);
    expect(code.frameworks).toEqual([]);
    expect(planAnswer([], 'Can you review my pull request?').refusal).toBe('review_code');
  });

  it('declines off-topic questions', () => {
    const plan = planAnswer([], "What's the best lasagna recipe?");
    expect(plan.refusal).toBe('off_topic');
    expect(plan.promptSection).toMatch(/outside engineering leadership/);
  });

  it('meets a first message with nothing to look up ("Help.", "hi") with two questions, not as off-topic', () => {
    for (const message of ['Help.', 'hi', 'thoughts?', 'Hey Cairn, could use some advice', 'I need help please']) {
      const plan = planAnswer([], message);
      expect(plan.opener, message).toBe(true);
      expect(plan.refusal, message).toBeUndefined();
      expect(plan.clarifyingQuestions, message).toHaveLength(2);
    }
    // A subject of its own is a question to answer; an off-topic one stays off-topic; later in a conversation it is a follow-up.
    expect(planAnswer([], 'I need help with hiring').opener).toBeUndefined();
    expect(planAnswer([], 'help with my lasagna recipe').refusal).toBe('off_topic');
    // A life choice handed to Cairn is still off-topic: handing a choice over is not a leadership claim to challenge.
    expect(planAnswer([], 'Should I propose to my girlfriend at a restaurant or somewhere private?').refusal).toBe('off_topic');
    expect(planAnswer([{ question: 'How do I run a good 1:1?' }], 'thoughts?').opener).toBeUndefined();
  });

  it('refuses to decide for the user when asked outright, and still helps them decide', () => {
    const plan = planAnswer([], 'Just tell me yes or no: should I fire my tech lead?');
    expect(plan.refusal).toBe('decide_for_user');
    expect(plan.clarifyingQuestions[0]).toMatch(/your tech lead/);
    expect(plan.promptSection).toMatch(/Do not make the decision for the user/);
  });

  it('treats "should I fire my tech lead" as a decision asked of Cairn, without refusing it', () => {
    const plan = planAnswer([], 'Should I fire my tech lead?');
    expect(plan.refusal).toBeUndefined();
    expect(plan.intent).toBe('decide');
    expect(plan.assumptions.map((assumption) => assumption.kind)).toEqual(['fire_someone', 'decide_for_me']);
    expect(plan.promptSection).toMatch(/Do not make the decision for the user/);
  });

  it('asks nothing of an explanation and says so in the prompt', () => {
    const plan = planAnswer([], 'What is BICEPS?');
    expect(plan.clarifyingQuestions).toEqual([]);
    expect(plan.frameworks.map((framework) => framework.name)).toEqual(['BICEPS']);
    expect(plan.promptSection).toMatch(/Ask no clarifying questions: this asks for an explanation/);
  });
});

describe('planAnswer: the prompt section', () => {
  const plan = planAnswer(
    [],
    "I'm a new director at a Series B startup with 40 engineers. Nobody owns the shared billing logic every team touches. How should I carve up the org?",
  );

  it('says what is known, what to ask, what fits and why, and how to return the questions', () => {
    const section = plan.promptSection;
    expect(section).toContain(`"${plan.summary}"`);
    expect(section).toMatch(/Size: 40 engineers/);
    expect(section).toMatch(/Company stage: early/);
    expect(section).toMatch(/Their role: director \(new to it\)/);
    expect(section).toMatch(/Frameworks that fit[^\n]*\n- Technical Coherence \(Jack Danger\): For deriving the org/);
    for (const question of plan.clarifyingQuestions) expect(section).toContain(`- ${question}`);
    expect(section).toMatch(/```json\n\{"clarifyingQuestions": \["\.\.\."\]\}\n```$/);
  });

  it('round-trips: an answer that follows it parses back to its questions', () => {
    const answer = `You want to know how to carve up the org.\n\nStart from the product.\n\n\`\`\`json\n${JSON.stringify({ clarifyingQuestions: plan.clarifyingQuestions })}\n\`\`\``;
    const parsed = parseClarifyingTrailer(answer);
    expect(parsed.clarifyingQuestions).toEqual(plan.clarifyingQuestions);
    expect(parsed.text).toBe('You want to know how to carve up the org.\n\nStart from the product.');
  });
});

describe('frameworks for questions that name the situation, not the framework', () => {
  it.each([
    ['How should I decide which teams own which parts of our product as we grow from 4 to 10 teams?', 'Technical Coherence'],
    ['What would the domain layer look like for a payments product like ours?', 'Technical Coherence'],
    ['I manage a senior engineer who wants to become staff. How do I help her get there?', 'Staff Archetypes'],
    ['We keep hiring but never seem to catch up on the roadmap. How do I think about that as a system?', 'Systems Thinking'],
  ])('offers the framework that fits "%s"', (question, framework) => {
    expect(planAnswer([], question).frameworks.map((suggestion) => suggestion.name)).toContain(framework);
  });

  it('still offers none for a question about a database schema', () => {
    expect(planAnswer([], "What's the best way to structure our database schema architecture?").frameworks).toEqual([]);
  });
});

describe('planAnswer: scope', () => {
  it('keeps a premise about the team’s code in scope even when its words are not a topic’s ("start over in Elixir")', () => {
    const plan = planAnswer(
      [],
      'Our PHP shop has one giant app nobody understands. I want to start over from scratch in Elixir. Thoughts?',
    );
    expect(plan.topic).not.toBe('off_topic');
    expect(plan.refusal).toBeUndefined();
    expect(plan.assumptions.map((assumption) => assumption.kind)).toContain('rewrite');
  });
});
