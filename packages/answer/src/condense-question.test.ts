import { describe, expect, it } from 'vitest';
import { condenseByRule, condenseQuestion, type ConversationTurn } from './condense-question.js';
import type { ChatModel } from './chat-model.js';

const clarifying = {
  role: 'assistant' as const,
  content:
    '**What I understood:** you want to split a team.\n\n**Before I go further:** How many engineers are on the team? What stage is the company at?',
};

describe('condensing a follow-up into a standalone query', () => {
  it("keeps the thread's first message, which tells the situation, when later ones would push it out", () => {
    const turns: ConversationTurn[] = [
      'My team keeps missing deadlines and the PM blames estimation.',
      'We are 8 engineers, two of them new.',
      'Estimates are made by the tech lead alone.',
    ].flatMap((content) => [
      { role: 'user' as const, content },
      { role: 'assistant' as const, content: 'An answer [1].\n\n**Before I go further:** What have you tried?' },
    ]);
    const query = condenseByRule(turns, 'How would I explain that to my VP?', true);
    expect(query).toBe(
      'My team keeps missing deadlines and the PM blames estimation. We are 8 engineers, two of them new. Estimates are made by the tech lead alone. How would I explain that to my VP?',
    );
  });

  it('keeps a first question, and a follow-up that stands alone, as they are', () => {
    expect(condenseByRule([], 'How do I give feedback?')).toBe('How do I give feedback?');
    // A long follow-up the conversation policy recognised ("that role") is joined to what it follows.
    const archetype: ConversationTurn[] = [
      { role: 'user', content: "What does a 'right hand' staff engineer actually do day to day?" },
      { role: 'assistant', content: 'An answer about the Right Hand archetype [1].' },
    ];
    const long = 'Would that role make sense in a 30 person eng org, or is that overkill for a company our size?';
    expect(condenseByRule(archetype, long)).toBe(long);
    expect(condenseByRule(archetype, long, true)).toBe(`${archetype[0]!.content} ${long}`);
    const history = [
      { role: 'user' as const, content: 'How should I split my team?' },
      { role: 'assistant' as const, content: 'Split along product lines [1].' },
    ];
    expect(condenseByRule(history, 'How do staff engineer archetypes differ from one another in practice?')).toBe(
      'How do staff engineer archetypes differ from one another in practice?',
    );
  });

  it('joins the answer to clarifying questions to the question they were about', () => {
    const history = [{ role: 'user' as const, content: 'How should I split my team?' }, clarifying];
    expect(condenseByRule(history, 'Twelve engineers, series B startup.')).toBe(
      'How should I split my team? Twelve engineers, series B startup.',
    );
  });

  it('joins a short message that points back to the earlier question', () => {
    const history = [
      { role: 'user' as const, content: 'What is the feedback equation?' },
      { role: 'assistant' as const, content: 'Observation, impact, request [1].' },
    ];
    expect(condenseByRule(history, 'How do I use it with my manager?')).toBe(
      'What is the feedback equation? How do I use it with my manager?',
    );
  });

  it('asks the model when there is one, and falls back to the rule when it fails', async () => {
    const history = [
      { role: 'user' as const, content: 'What is the feedback equation?' },
      { role: 'assistant' as const, content: 'Observation, impact, request [1].' },
    ];
    const seen: string[] = [];
    const model: ChatModel = {
      model: 'test',
      async *stream(messages) {
        seen.push(messages.map((message) => message.content).join('\n'));
        yield 'feedback equation with my manager';
      },
    };
    expect(await condenseQuestion(history, 'How do I use it with my manager?', { model })).toEqual({
      query: 'feedback equation with my manager',
      by: 'model',
    });
    expect(seen[0]).toContain('User: What is the feedback equation?');
    const failing: ChatModel = {
      model: 'test',
      // eslint-disable-next-line require-yield
      async *stream() {
        throw new Error('down');
      },
    };
    expect(await condenseQuestion(history, 'How do I use it with my manager?', { model: failing })).toEqual({
      query: 'What is the feedback equation? How do I use it with my manager?',
      by: 'rule',
    });
  });
});
