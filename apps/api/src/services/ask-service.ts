import { CairnError, type RetrievedPassage, type SearchFilters } from '@cairn/core';
import {
  buildChatPrompt,
  citationFor,
  citationLine,
  CitationStream,
  composeExtractiveAnswer,
  condenseQuestion,
  detectRefusal,
  sanitizeAnswer,
  splitSentences,
  StreamingCleaner,
  verifyCitations,
  type ChatModel,
  type Citation,
  type ComposedAnswer,
  type ConversationTurn,
} from '@cairn/answer';
import type { Retriever } from '@cairn/retrieve';
import type { Store } from '@cairn/store';
import { limits } from '../schemas.js';

export interface AskInput {
  question: string;
  conversationId?: string | undefined;
  k?: number | undefined;
  filters?: SearchFilters | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Earlier turns supplied by the caller (the OpenAI-compatible route), instead of a
   * stored conversation; such an exchange is not stored.
   */
  history?: ConversationTurn[] | undefined;
}

/** What a streaming client hears as the answer is made. */
export interface AskListener {
  /** The passages the answer may cite, numbered, as soon as retrieval is done. */
  citations?(citations: Citation[]): void;
  /**
   * A piece of the answer as it is written (before its citations are verified; images,
   * HTML, links to anything but the passages and runs of the system prompt are taken out).
   */
  token?(text: string): void;
  /**
   * The answer's verified text, whole sentences at a time as they are written (markers
   * checked and renumbered, as in the final answer; the sources list is not included).
   */
  verifiedText?(text: string): void;
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
  /** The query retrieval ran: the question, or a follow-up made standalone. */
  standaloneQuestion: string;
  /** Every passage retrieval returned, with its scores and ranks. */
  retrieval: RetrievalDetail[];
  timings: { condenseMs: number; retrieveMs: number; composeMs: number; modelMs: number; totalMs: number };
}

/** A retrieved passage as the retrieval details show it. */
export interface RetrievalDetail {
  rank: number;
  chunkId: string;
  url: string;
  title: string;
  source: string;
  heading: string;
  score: number;
  ranks: { vector: number | null; keyword: number | null };
  inPrompt: boolean;
}

function retrievalDetails(retrieved: readonly RetrievedPassage[], given: readonly RetrievedPassage[]): RetrievalDetail[] {
  const inPrompt = new Set(given.map((passage) => passage.chunkId));
  return retrieved.map((passage, index) => ({
    rank: index + 1,
    chunkId: passage.chunkId,
    url: passage.url,
    title: passage.title,
    source: passage.source,
    heading: passage.heading,
    score: passage.score,
    ranks: passage.ranks,
    inPrompt: inPrompt.has(passage.chunkId),
  }));
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

/** The passages as numbered citations, before an answer cites them: each quotes its first sentence. */
function candidateCitations(passages: readonly RetrievedPassage[]): Citation[] {
  return passages.map((passage, index) => citationFor(passage, index + 1, splitSentences(passage.text)[0] ?? passage.text.slice(0, 200)));
}

/** An answer streamed in the pieces a model would send: words with their trailing space. */
function wordsOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** The list of sources under an answer, cleaned like the answer: titles and authors come from crawled pages. */
function sourcesList(citations: readonly Citation[]): string {
  return sanitizeAnswer(`**Sources**\n${citations.map(citationLine).join('\n')}`, { allowedUrls: citations.map((citation) => citation.url) }).text;
}

const noSupport =
  "I couldn't find support for an answer in the sources I draw on (Will Larson, Lara Hogan, Jack Danger and the team's notes on them), so I won't guess.";

export interface AskServiceOptions {
  /** The chat model; without one, answers are extractive. */
  chatModel?: ChatModel | undefined;
  persona?: string;
  contextTokens?: number;
  maxAnswerTokens?: number;
}

/**
 * Question to cited answer: condense a follow-up, retrieve, then compose (extractive) or
 * generate (the chat model, with the persona and the numbered fenced passages) and verify
 * every citation; both turns are kept in the conversation.
 */
export class AskService {
  constructor(
    private readonly store: Store,
    private readonly retriever: Retriever,
    private readonly options: AskServiceOptions = {},
  ) {}

  /** The model answers come from (a refused request is still answered by rule). */
  get model(): string {
    return this.options.chatModel?.model ?? extractiveModel;
  }

  async ask(input: AskInput, listener: AskListener = {}): Promise<AskResult> {
    const started = performance.now();
    const question = validQuestion(input.question);
    const stored = input.history === undefined;
    let history: ConversationTurn[] = input.history ?? [];
    if (input.conversationId !== undefined) {
      const conversation = await this.store.conversations.find(input.conversationId);
      if (!conversation) {
        throw new CairnError('conversation_not_found', `No conversation has the id ${JSON.stringify(input.conversationId)}; omit conversationId to start one.`);
      }
      history = conversation.messages.map((message) => ({ role: message.role, content: message.content }));
    }
    const chatModel = this.options.chatModel;
    const refusal = detectRefusal(question);
    // A request the persona declines is answered by rule, whatever the mode.
    const mode = chatModel && !refusal ? 'llm' : 'extractive';
    const model = mode === 'llm' ? chatModel!.model : extractiveModel;

    const condenseStarted = performance.now();
    const { query } = refusal ? { query: question } : await condenseQuestion(history, question, { model: chatModel, signal: input.signal });
    const condenseMs = performance.now() - condenseStarted;

    const retrieveStarted = performance.now();
    // A request the persona declines needs no retrieval.
    const retrieved = refusal ? [] : (await this.retriever.retrieve(query, { k: input.k ?? 6, filters: input.filters, signal: input.signal })).results;
    const retrieveMs = performance.now() - retrieveStarted;

    let answer: string;
    let citations: Citation[];
    let outcome: ComposedAnswer['outcome'];
    let clarifyingQuestions: string[];
    let modelMs = 0;
    let given: readonly RetrievedPassage[] = retrieved;
    const composeStarted = performance.now();
    if (!chatModel || refusal) {
      listener.citations?.(candidateCitations(retrieved));
      const composed = composeExtractiveAnswer(query, retrieved);
      // It quotes crawled pages and their titles: cleaned as a model's answer would be.
      answer = sanitizeAnswer(composed.text, {
        allowedUrls: composed.citations.map((citation) => citation.url),
        systemPrompt: this.options.persona,
        sourceTexts: retrieved.map((passage) => passage.text),
      }).text;
      for (const word of wordsOf(answer)) {
        listener.token?.(word);
        listener.verifiedText?.(word);
      }
      ({ citations, outcome, clarifyingQuestions } = composed);
    } else {
      const prompt = buildChatPrompt({
        persona: this.options.persona ?? '',
        question,
        passages: retrieved,
        history,
        contextTokens: this.options.contextTokens ?? 16_000,
        maxAnswerTokens: this.options.maxAnswerTokens ?? 1024,
      });
      given = prompt.passages;
      listener.citations?.(candidateCitations(prompt.passages));
      const modelStarted = performance.now();
      let text = '';
      const verifyOptions = { systemPrompt: this.options.persona };
      const verifying = listener.verifiedText ? new CitationStream(prompt.passages, verifyOptions) : undefined;
      // Unverified pieces are shown as they come, but never an image, a link off the passages or the prompt.
      const showing = listener.token
        ? new StreamingCleaner(
            prompt.passages.map((passage) => passage.url),
            { ...verifyOptions, sourceTexts: prompt.passages.map((passage) => passage.text) },
          )
        : undefined;
      for await (const piece of chatModel.stream(prompt.messages, { signal: input.signal })) {
        text += piece;
        const shown = showing?.push(piece);
        if (shown) listener.token?.(shown);
        const ready = verifying?.push(piece);
        if (ready) listener.verifiedText?.(ready);
      }
      const shownRest = showing?.end();
      if (shownRest) listener.token?.(shownRest);
      const rest = verifying?.end().text;
      if (rest) listener.verifiedText?.(rest);
      modelMs = performance.now() - modelStarted;
      const verified = verifyCitations(text, prompt.passages, verifyOptions);
      citations = verified.citations;
      clarifyingQuestions = splitSentences(verified.text).filter((sentence) => sentence.endsWith('?')).slice(0, 2);
      if (citations.length > 0) {
        outcome = 'answered';
        answer = `${verified.text.trim()}\n\n${sourcesList(citations)}`;
      } else {
        // Nothing the model said is backed by a passage: say so, keep only its questions.
        outcome = 'no_support';
        answer = [noSupport, ...(clarifyingQuestions.length > 0 ? ['', `**To help me look again:** ${clarifyingQuestions.join(' ')}`] : [])].join('\n');
      }
    }
    const composeMs = performance.now() - composeStarted - modelMs;

    let conversationId = input.conversationId ?? '';
    let messageId = '';
    if (stored) {
      conversationId = input.conversationId ?? (await this.store.conversations.create(question.slice(0, 120)));
      await this.store.conversations.addMessage({ conversationId, role: 'user', content: question, citations: [], mode: null, model: null });
      const message = await this.store.conversations.addMessage({ conversationId, role: 'assistant', content: answer, citations, mode, model });
      messageId = message.id;
    }
    return {
      answer,
      citations,
      conversationId,
      messageId,
      mode,
      model,
      outcome,
      clarifyingQuestions,
      standaloneQuestion: query,
      retrieval: retrievalDetails(retrieved, given),
      timings: { condenseMs: round(condenseMs), retrieveMs: round(retrieveMs), composeMs: round(composeMs), modelMs: round(modelMs), totalMs: round(performance.now() - started) },
    };
  }
}
