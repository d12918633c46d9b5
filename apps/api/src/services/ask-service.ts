import { CairnError, type SearchFilters } from '@cairn/core';
import { composeExtractiveAnswer, detectRefusal, type Citation, type ComposedAnswer } from '@cairn/answer';
import type { Retriever } from '@cairn/retrieve';
import type { Store } from '@cairn/store';
import { limits } from '../schemas.js';

export interface AskInput {
  question: string;
  conversationId?: string | undefined;
  k?: number | undefined;
  filters?: SearchFilters | undefined;
  signal?: AbortSignal | undefined;
}

export interface AskResult {
  answer: string;
  citations: Citation[];
  conversationId: string;
  messageId: string;
  mode: 'llm' | 'extractive';
  model: string;
  outcome: ComposedAnswer['outcome'];
  clarifyingQuestions: string[];
  timings: { retrieveMs: number; composeMs: number; totalMs: number };
}

/** The id of the extractive composer, reported as `model` in extractive mode. */
export const extractiveModel = 'cairn-extractive-v1';

/** Checks a question against the documented limits; returns it trimmed. */
export function validQuestion(question: string): string {
  const trimmed = question.trim();
  if (!trimmed) throw new CairnError('question_empty', 'The question is empty; ask something, for example "How do I give feedback to a peer?"');
  if (trimmed.length > limits.questionChars) {
    throw new CairnError('question_too_long', `The question has ${trimmed.length} characters; the limit is ${limits.questionChars}. Shorten it or split it into turns.`);
  }
  return trimmed;
}

const round = (milliseconds: number) => Math.round(milliseconds * 100) / 100;

/** Question to cited answer: retrieve, compose, and keep both turns in the conversation. */
export class AskService {
  constructor(
    private readonly store: Store,
    private readonly retriever: Retriever,
  ) {}

  async ask(input: AskInput): Promise<AskResult> {
    const started = performance.now();
    const question = validQuestion(input.question);
    if (input.conversationId !== undefined && !(await this.store.conversations.exists(input.conversationId))) {
      throw new CairnError('conversation_not_found', `No conversation has the id ${JSON.stringify(input.conversationId)}; omit conversationId to start one.`);
    }
    const retrieveStarted = performance.now();
    // A request the persona declines needs no retrieval.
    const passages = detectRefusal(question) ? [] : (await this.retriever.retrieve(question, { k: input.k ?? 6, filters: input.filters, signal: input.signal })).results;
    const retrieveMs = performance.now() - retrieveStarted;
    const composeStarted = performance.now();
    const composed = composeExtractiveAnswer(question, passages);
    const composeMs = performance.now() - composeStarted;

    const conversationId = input.conversationId ?? (await this.store.conversations.create(question.slice(0, 120)));
    await this.store.conversations.addMessage({ conversationId, role: 'user', content: question, citations: [], mode: null, model: null });
    const message = await this.store.conversations.addMessage({
      conversationId,
      role: 'assistant',
      content: composed.text,
      citations: composed.citations,
      mode: 'extractive',
      model: extractiveModel,
    });
    return {
      answer: composed.text,
      citations: composed.citations,
      conversationId,
      messageId: message.id,
      mode: 'extractive',
      model: extractiveModel,
      outcome: composed.outcome,
      clarifyingQuestions: composed.clarifyingQuestions,
      timings: { retrieveMs: round(retrieveMs), composeMs: round(composeMs), totalMs: round(performance.now() - started) },
    };
  }
}
