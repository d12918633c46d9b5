import { describe, expect, it } from 'vitest';
import {
  answerRequest,
  checkClarifyingReturned,
  checkHistoryInPrompt,
  checkPassagesInPrompt,
  checkPersonaInPrompt,
  checkPolicyPrompt,
  policySection,
  scriptedChatReply,
  scriptedClarifyingQuestion,
  type LlmExchange,
  type RecordedChatRequest,
} from './llm-checks.js';

const persona = '# Engineering Leader Thought Partner\n\nAsk before advising.';
const question = 'How do I give feedback to a peer?';
const passages =
  '<passages>\nThe numbered passages below…\n<passage n="1" title="Feedback">\nObserve first. Then ask.\n</passage>\n<passage n="2" title="BICEPS">\nSix needs.\n</passage>\n</passages>';

const answering = (messages: RecordedChatRequest['messages']): RecordedChatRequest => ({ messages });
const goodRequest = answering([
  { role: 'system', content: persona },
  { role: 'user', content: 'Earlier: how do I start a 1:1?' },
  { role: 'assistant', content: 'Ask what they need [1].' },
  { role: 'user', content: `${passages}\n\nQuestion: ${question}` },
]);

function exchange(overrides: Partial<LlmExchange> = {}): LlmExchange {
  return {
    turn: { question, expect: {} },
    index: 1,
    previousQuestions: ['Earlier: how do I start a 1:1?'],
    requests: [answering([{ role: 'system', content: 'You rewrite the last user message…' }]), goodRequest],
    persona,
    result: {
      answer: `From the sources: Observe first. [1]\n\n${scriptedClarifyingQuestion}`,
      citations: [{ n: 1, author: 'Lara Hogan' }],
      outcome: 'answered',
      clarifyingQuestions: [scriptedClarifyingQuestion],
      retrieval: [
        { title: 'Feedback', inPrompt: true },
        { title: 'BICEPS', inPrompt: true },
        { title: 'Left out', inPrompt: false },
      ],
    },
    ...overrides,
  };
}

describe('the scripted model', () => {
  it('echoes the condense step, cites passage 1 with a clarifying question, and gives the rerank nothing usable', () => {
    const condense = scriptedChatReply({
      messages: [
        { role: 'system', content: 'You rewrite the last user message of a conversation…' },
        { role: 'user', content: 'Conversation:\nUser: a\n\nLast user message: and for managers?\n\nStandalone query:' },
      ],
    });
    expect(condense).toBe('and for managers?');
    expect(scriptedChatReply(goodRequest)).toBe(`From the sources: Observe first. [1]\n\n${scriptedClarifyingQuestion}`);
    expect(scriptedChatReply({ messages: [{ role: 'user', content: 'Order these passages' }] })).toBe('No order.');
    expect(answerRequest(exchange().requests)).toBe(goodRequest);
  });
});

describe('checks of the LLM path', () => {
  it('pass a well-formed exchange', () => {
    for (const check of [checkPersonaInPrompt, checkPassagesInPrompt, checkHistoryInPrompt, checkClarifyingReturned]) {
      expect(check(exchange()), check.name).toEqual({ status: 'pass' });
    }
  });

  it('fail a system message without the persona', () => {
    const request = answering([{ role: 'system', content: 'You are a helpful assistant.' }, goodRequest.messages[3]!]);
    expect(checkPersonaInPrompt(exchange({ requests: [request] })).status).toBe('fail');
  });

  it('fail a prompt missing a passage given, or the question', () => {
    const one = answering([
      goodRequest.messages[0]!,
      { role: 'user', content: `<passages>\n<passage n="1">\nx\n</passage>\n</passages>\n\nQuestion: ${question}` },
    ]);
    expect(checkPassagesInPrompt(exchange({ requests: [one] })).status).toBe('fail');
    const noQuestion = answering([goodRequest.messages[0]!, { role: 'user', content: passages }]);
    expect(checkPassagesInPrompt(exchange({ requests: [noQuestion] })).status).toBe('fail');
  });

  it('fail a follow-up sent without its history, and do not apply to a first turn', () => {
    const alone = answering([goodRequest.messages[0]!, goodRequest.messages[3]!]);
    expect(checkHistoryInPrompt(exchange({ requests: [alone] })).status).toBe('fail');
    expect(checkHistoryInPrompt(exchange({ index: 0, previousQuestions: [] })).status).toBe('na');
  });

  it('fail when the clarifying question does not come back, and do not apply without an answer request (a refusal by rule)', () => {
    const base = exchange();
    expect(checkClarifyingReturned({ ...base, result: { ...base.result, clarifyingQuestions: [] } }).status).toBe('fail');
    expect(checkClarifyingReturned(exchange({ requests: [] })).status).toBe('na');
  });

  it('do not apply the policy checks until the prompt has a policy section, then run them', () => {
    expect(checkPolicyPrompt(exchange())).toEqual({ status: 'na' });
    const withPolicy = answering([
      { role: 'system', content: `${persona}\n\n<policy>\nknown: team_size\n</policy>` },
      goodRequest.messages[3]!,
    ]);
    expect(policySection(withPolicy)).toBe('known: team_size');
    const ex = exchange({ requests: [withPolicy] });
    expect(checkPolicyPrompt(ex, [])).toEqual({ status: 'pass' });
    expect(checkPolicyPrompt(ex, [(section) => (section.includes('stage') ? undefined : 'no stage')])).toEqual({
      status: 'fail',
      detail: 'no stage',
    });
  });
});
