import { CairnError, characterCount, isBlank, type SearchFilters } from '@cairn/core';
import {
  answerQuestion,
  roundMilliseconds,
  type AnswerListener,
  type AnswerQuestionOptions,
  type AnswerResult,
} from './answer-question.js';
import type { Citation } from './citation.js';
import type { ConversationTurn } from './condense-question.js';

export { maxQuestionChars } from './answer-question.js';

/**
 * What answering in a stored conversation needs of the store: the conversations
 * repository of @cairn/store, typed here by shape so that answers do not depend on it.
 */
export interface StoredConversations {
  /** With `ownerKeyId`, only a conversation of that API key is found. */
  find(id: string, reader?: { ownerKeyId?: string | null }): Promise<{ messages: readonly ConversationTurn[] } | undefined>;
  /** Stores a question and its answer together (in a new conversation without `conversationId`). */
  addExchange(exchange: {
    conversationId?: string | undefined;
    title?: string | null;
    ownerKeyId?: string | null;
    question: string;
    answer: { content: string; citations: Citation[]; mode: 'llm' | 'extractive' | null; model: string | null };
  }): Promise<{ conversationId: string; answer: { id: string } }>;
}

export interface ConversationQuestion {
  question: string;
  /** Continue this stored conversation; without it, a new one is started. */
  conversationId?: string | undefined;
  /** Passages to retrieve (default 6). */
  k?: number | undefined;
  filters?: SearchFilters | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Earlier turns supplied by the caller (the OpenAI-compatible route), instead of a stored
   * conversation; such an exchange is not stored.
   */
  history?: ConversationTurn[] | undefined;
  /**
   * The API key asking, when the API has keys: a new conversation belongs to `keyId` (null:
   * to no stored key), and a key without the admin scope continues only its own. Without
   * it (no keys, the CLI), any conversation is continued and a new one belongs to no key.
   */
  caller?: ConversationCaller | undefined;
}

/** An API key as conversations see it: which one, and whether it may see every conversation. */
export interface ConversationCaller {
  keyId: string | null;
  admin: boolean;
}

export interface ConversationAnswer extends AnswerResult {
  /** The conversation the exchange was stored in ('' when the caller supplied the history). */
  conversationId: string;
  /** The stored answer's message id, which feedback refers to ('' when not stored). */
  messageId: string;
}

export interface AnswerInConversationOptions extends AnswerQuestionOptions {
  conversations: StoredConversations;
  /** The longest question answered, in characters (`maxQuestionChars` is the documented one). */
  maxQuestionChars: number;
}

/** Checks a question against the limit; returns it trimmed. */
export function validQuestion(question: string, maxChars: number): string {
  const trimmed = question.trim();
  // Invisible characters alone ("\u200b") are no question either, as they are no search query (probe 33 L7).
  if (isBlank(trimmed))
    throw new CairnError('question_empty', 'The question is empty; ask something, for example "How do I give feedback to a peer?"');
  const characters = characterCount(trimmed);
  if (characters > maxChars) {
    throw new CairnError(
      'question_too_long',
      `The question has ${characters} characters; the limit is ${maxChars}. Shorten it or split it into turns.`,
    );
  }
  return trimmed;
}

/**
 * One turn of a stored conversation, as the API and the CLI answer it: the question is
 * checked, the conversation's earlier turns are loaded, `answerQuestion` answers, and both
 * turns are stored (a new conversation is started when none is given). `totalMs` counts
 * all of it, storage included.
 */
export async function answerInConversation(
  input: ConversationQuestion,
  options: AnswerInConversationOptions,
  listener: AnswerListener = {},
): Promise<ConversationAnswer> {
  const started = performance.now();
  const question = validQuestion(input.question, options.maxQuestionChars);
  const stored = input.history === undefined;
  const history =
    input.conversationId === undefined
      ? (input.history ?? [])
      : await storedTurns(options.conversations, input.conversationId, input.caller);
  const answered = await answerQuestion({ question, history, k: input.k, filters: input.filters, signal: input.signal }, options, listener);
  const { conversationId, messageId } = stored
    ? await recordExchange(options.conversations, input.conversationId, question, answered, input.caller?.keyId ?? null)
    : { conversationId: input.conversationId ?? '', messageId: '' };
  return {
    answer: answered.answer,
    citations: answered.citations,
    conversationId,
    messageId,
    mode: answered.mode,
    model: answered.model,
    outcome: answered.outcome,
    refusal: answered.refusal,
    clarifyingQuestions: answered.clarifyingQuestions,
    frameworks: answered.frameworks,
    standaloneQuestion: answered.standaloneQuestion,
    retrieval: answered.retrieval,
    timings: { ...answered.timings, totalMs: roundMilliseconds(performance.now() - started) },
  };
}

/** The earlier turns of a stored conversation, oldest first; another key's conversation is not found. */
async function storedTurns(
  conversations: StoredConversations,
  conversationId: string,
  caller: ConversationCaller | undefined,
): Promise<ConversationTurn[]> {
  const conversation = await conversations.find(conversationId, caller && !caller.admin ? { ownerKeyId: caller.keyId } : {});
  if (!conversation) {
    throw new CairnError(
      'conversation_not_found',
      `No conversation has the id ${JSON.stringify(conversationId)}; omit conversationId to start one.`,
    );
  }
  return conversation.messages.map((message) => ({ role: message.role, content: message.content }));
}

/** Stores the question and its answer together in the conversation, or in a new one titled by the question. */
async function recordExchange(
  conversations: StoredConversations,
  conversationId: string | undefined,
  question: string,
  answered: AnswerResult,
  ownerKeyId: string | null,
): Promise<{ conversationId: string; messageId: string }> {
  const stored = await conversations.addExchange({
    conversationId,
    // By code points: a cut inside an emoji's surrogate pair was stored as U+FFFD.
    title: Array.from(question).slice(0, 120).join(''),
    ownerKeyId,
    question,
    answer: { content: answered.answer, citations: answered.citations, mode: answered.mode, model: answered.model },
  });
  return { conversationId: stored.conversationId, messageId: stored.answer.id };
}
