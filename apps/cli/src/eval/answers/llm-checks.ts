import type { AnswerTurn } from './answer-set.js';
import { clip, normaliseQuestion, type EvaluatedAnswer } from './answer-text.js';
import { fail, notApplicable, pass, type Verdict } from './rule.js';

/**
 * The LLM mode's checks: the same conversations run against the OpenAI-compatible test
 * server (@cairn/testing), whose answers are scripted (`scriptedChatReply`). What is
 * checked is how Cairn asks: the request's system and user messages, the history, and
 * what comes back of the reply (its clarifying question).
 */

/** A chat message as the test server recorded it. */
export interface RecordedMessage {
  role: string;
  content: string;
}

/** A chat completions request as the test server recorded it (the body's part the checks read). */
export interface RecordedChatRequest {
  messages: RecordedMessage[];
  /** Present when the pipeline asks for structured output (`response_format`, `tools`). */
  response_format?: unknown;
  tools?: unknown;
}

/** The clarifying question every scripted answer asks; it must come back in `clarifyingQuestions`. */
export const scriptedClarifyingQuestion = 'What would a good outcome look like for you a quarter from now?';

/** The system prompt of the rule-free condense step (packages/answer/src/condense-question.ts), recognised by its opening. */
const condenseOpening = /^You rewrite the last user message/;

/** The request that asks for the answer: the one whose last user message carries the fenced passages. */
export function answerRequest(requests: readonly RecordedChatRequest[]): RecordedChatRequest | undefined {
  return [...requests].reverse().find((request) => /<passages>/.test(request.messages.at(-1)?.content ?? ''));
}

/**
 * The scripted model: the condense step gets the last message back (a follow-up stays as
 * written); an answer request gets the first sentence of passage [1], cited, and one
 * clarifying question; anything else (the LLM rerank) gets a reply it cannot use.
 */
export function scriptedChatReply(body: { messages?: RecordedMessage[] }): string {
  const messages = body.messages ?? [];
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  const last = messages.at(-1)?.content ?? '';
  if (condenseOpening.test(system)) {
    return /Last user message:\s*([\s\S]*?)\n\nStandalone query:/.exec(last)?.[1]?.trim() ?? last;
  }
  if (/<passages>/.test(last)) {
    const passage = /<passage n="1"[^>]*>\n([\s\S]*?)\n<\/passage>/.exec(last)?.[1];
    const sentence = passage ? (/^[\s\S]*?[.!?](?=\s|$)/.exec(passage.trim())?.[0] ?? passage.trim()) : undefined;
    const body = sentence ? `From the sources: ${sentence} [1]` : 'I could not find anything in the sources about that.';
    return `${body}\n\n${scriptedClarifyingQuestion}`;
  }
  return 'No order.';
}

/** What a check of the LLM path sees of one turn. */
export interface LlmExchange {
  turn: AnswerTurn;
  index: number;
  previousQuestions: readonly string[];
  /** The chat requests the turn made, in order. */
  requests: readonly RecordedChatRequest[];
  /** The persona the runtime loaded (the system prompt). */
  persona: string;
  result: EvaluatedAnswer & { retrieval?: readonly { title: string; inPrompt: boolean }[] | undefined };
}

/** The system message holds the persona. */
export function checkPersonaInPrompt(exchange: LlmExchange): Verdict {
  const request = answerRequest(exchange.requests);
  if (!request) return notApplicable;
  const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content);
  if (system.length === 0) return fail('no system message');
  return system.some((content) => content.includes(exchange.persona.trim()))
    ? pass
    : fail(`the system message is not the persona: "${clip(system[0]!, 60)}"`);
}

/** The last user message holds the question and every passage the answer was given, fenced and numbered. */
export function checkPassagesInPrompt(exchange: LlmExchange): Verdict {
  const request = answerRequest(exchange.requests);
  if (!request) return notApplicable;
  const last = request.messages.at(-1)!.content;
  const problems: string[] = [];
  if (!last.includes(exchange.turn.question.trim())) problems.push('the question is not in the last user message');
  const given = (exchange.result.retrieval ?? []).filter((passage) => passage.inPrompt);
  const fenced = [...last.matchAll(/<passage n="(\d+)"/g)].map((match) => Number(match[1]));
  if (given.length > 0 && fenced.length !== given.length) problems.push(`${fenced.length} passages fenced, ${given.length} given`);
  if (fenced.some((n, index) => n !== index + 1)) problems.push(`passages numbered ${fenced.join(',')}`);
  if (given.length === 0 && fenced.length === 0 && !/no passages were found/.test(last)) problems.push('no passages and no note saying so');
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

/** A follow-up's request carries the earlier turns as messages. */
export function checkHistoryInPrompt(exchange: LlmExchange): Verdict {
  if (exchange.index === 0) return notApplicable;
  const request = answerRequest(exchange.requests);
  if (!request) return notApplicable;
  const earlier = request.messages.slice(0, -1).filter((message) => message.role === 'user');
  const missing = exchange.previousQuestions.filter(
    (question) => !earlier.some((message) => normaliseQuestion(message.content).includes(normaliseQuestion(question))),
  );
  return missing.length > 0 ? fail(`earlier turns missing from the prompt: "${clip(missing[0]!, 50)}"`) : pass;
}

/** The scripted reply's clarifying question comes back in `clarifyingQuestions`. */
export function checkClarifyingReturned(exchange: LlmExchange): Verdict {
  if (!answerRequest(exchange.requests)) return notApplicable;
  const returned = (exchange.result.clarifyingQuestions ?? []).map(normaliseQuestion);
  return returned.includes(normaliseQuestion(scriptedClarifyingQuestion))
    ? pass
    : fail(`clarifyingQuestions ${JSON.stringify(exchange.result.clarifyingQuestions ?? [])}`);
}

/**
 * The conversation policy's part of the prompt, once there is one: a section of the system
 * or user message that tells the model what the policy decided for this turn (the facts
 * known, what to ask, what to challenge, whether to decline). Not applicable until the
 * prompt has such a section. The hook: `policySection` finds it; `policyChecks` (empty
 * for now) are the checks of its content and of the structured output the model is asked
 * for (`response_format` / `tools` in the request), to be written with the policy.
 */
export function policySection(request: RecordedChatRequest): string | undefined {
  for (const message of request.messages) {
    const match =
      /<policy\b[^>]*>([\s\S]*?)<\/policy>|^#{1,3}\s*(?:conversation\s+)?policy\b[^\n]*\n([\s\S]*?)(?=^#{1,3}\s|$(?![\s\S]))/im.exec(
        message.content,
      );
    if (match) return (match[1] ?? match[2] ?? '').trim();
  }
  return undefined;
}

/** A check of the policy's section of the prompt (and of the structured output asked for), given the turn's expectation. */
export type PolicyCheck = (section: string, request: RecordedChatRequest, exchange: LlmExchange) => string | undefined;

/** The policy's checks: each returns a problem, or undefined. Empty until the policy's prompt exists (issue 17). */
export const policyChecks: PolicyCheck[] = [];

export function checkPolicyPrompt(exchange: LlmExchange, checks: readonly PolicyCheck[] = policyChecks): Verdict {
  const request = answerRequest(exchange.requests);
  if (!request) return notApplicable;
  const section = policySection(request);
  if (section === undefined) return notApplicable;
  const problems = checks.map((check) => check(section, request, exchange)).filter((problem): problem is string => Boolean(problem));
  return problems.length > 0 ? fail(problems.join('; ')) : pass;
}

/** The LLM mode's checks, by id, with what each says. */
export const llmChecks: Record<string, { description: string; check: (exchange: LlmExchange) => Verdict }> = {
  'llm-persona': { description: 'the answer request’s system message holds the persona', check: checkPersonaInPrompt },
  'llm-passages': {
    description: 'the last user message holds the question and every passage given, fenced and numbered',
    check: checkPassagesInPrompt,
  },
  'llm-history': { description: 'a follow-up’s request carries the earlier turns', check: checkHistoryInPrompt },
  'llm-clarifying': { description: 'the model’s clarifying question comes back in clarifyingQuestions', check: checkClarifyingReturned },
  'llm-policy': { description: 'the policy’s section of the prompt (not applicable until it exists)', check: checkPolicyPrompt },
};
