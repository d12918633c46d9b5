import type { RetrievedPassage, SearchFilters } from '@cairn/core';
import { streamPieces } from '@cairn/text';
import type { ChatModel } from './chat-model.js';
import { citationFor, citationLine, type Citation } from './citation.js';
import { composeExtractiveAnswer, type ComposedAnswer } from './compose-extractive-answer.js';
import { condenseQuestion, type ConversationTurn } from './condense-question.js';
import { detectRefusal } from './detect-refusal.js';
import { buildChatPrompt, type ChatPrompt } from './prompt/build-prompt.js';
import { retrievalDetails, type RetrievalDetail } from './retrieval-details.js';
import { sanitizeAnswer, StreamingCleaner } from './sanitize-answer.js';
import { splitSentences } from './split-sentences.js';
import { CitationStream, verifyCitations } from './verify-citations.js';

/**
 * What answering needs of retrieval: the passages for a query, best first. `Retriever`
 * of @cairn/retrieve is one; typed here by shape so that answers do not depend on it.
 */
export interface PassageRetriever {
  retrieve(
    query: string,
    options: { k: number; filters?: SearchFilters | undefined; signal?: AbortSignal | undefined },
  ): Promise<{ results: RetrievedPassage[] }>;
}

/** What a streaming client hears as the answer is made. */
export interface AnswerListener {
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

export interface AnswerQuestionInput {
  /** The question, already checked and trimmed. */
  question: string;
  /** The conversation so far, oldest first (empty for a first question). */
  history: readonly ConversationTurn[];
  /** Passages to retrieve (default 6). */
  k?: number | undefined;
  filters?: SearchFilters | undefined;
  /** Aborting it cancels the model calls. */
  signal?: AbortSignal | undefined;
}

export interface AnswerQuestionOptions {
  retriever: PassageRetriever;
  /** The chat model; without one, answers are extractive. */
  chatModel?: ChatModel | undefined;
  /** The system prompt (see `loadPersona`); answers are also cleaned of runs of it. */
  persona?: string | undefined;
  /** The model's context window (default 16,000 tokens). */
  contextTokens?: number | undefined;
  /** Tokens reserved for the model's answer (default 1,024). */
  maxAnswerTokens?: number | undefined;
}

export interface AnswerTimings {
  condenseMs: number;
  retrieveMs: number;
  /** Cairn's own work on the answer: prompt and verification, or the whole extractive composition. */
  composeMs: number;
  /** The chat model's time (0 in extractive mode). */
  modelMs: number;
  totalMs: number;
}

export interface AnswerResult {
  answer: string;
  citations: Citation[];
  mode: 'llm' | 'extractive';
  model: string;
  outcome: ComposedAnswer['outcome'];
  clarifyingQuestions: string[];
  /** The query retrieval ran: the question, or a follow-up made standalone. */
  standaloneQuestion: string;
  /** Every passage retrieval returned, with its scores and ranks. */
  retrieval: RetrievalDetail[];
  timings: AnswerTimings;
}

/** The id of the extractive composer, reported as `model` in extractive mode. */
export const extractiveModel = 'cairn-extractive-v1';

const noSupport =
  "I couldn't find support for an answer in the sources I draw on (Will Larson, Lara Hogan, Jack Danger and the team's notes on them), so I won't guess.";

/** Milliseconds to two decimals. */
export const roundMilliseconds = (milliseconds: number): number => Math.round(milliseconds * 100) / 100;

/** The answer itself, whichever way it was made. */
type ComposedPart = Pick<AnswerResult, 'answer' | 'citations' | 'outcome' | 'clarifyingQuestions'>;

/**
 * Question to cited answer, for one turn of a conversation: condense a follow-up into a
 * standalone query, retrieve, then compose (extractive) or generate (the chat model, with
 * the persona and the numbered fenced passages) and verify every citation. A request the
 * persona declines (writing or reviewing code) is answered by rule, with no retrieval.
 * Nothing is stored; see `answerInConversation` for that.
 */
export async function answerQuestion(
  input: AnswerQuestionInput,
  options: AnswerQuestionOptions,
  listener: AnswerListener = {},
): Promise<AnswerResult> {
  const started = performance.now();
  const { question, history, signal } = input;
  const { chatModel } = options;
  const refusal = detectRefusal(question);
  // A request the persona declines is answered by rule, whatever the mode.
  const model = chatModel && !refusal ? chatModel : undefined;

  const condenseStarted = performance.now();
  const { query } = refusal ? { query: question } : await condenseQuestion(history, question, { model: chatModel, signal });
  const condenseMs = performance.now() - condenseStarted;

  const retrieveStarted = performance.now();
  // A request the persona declines needs no retrieval.
  const retrieved = refusal ? [] : (await options.retriever.retrieve(query, { k: input.k ?? 6, filters: input.filters, signal })).results;
  const retrieveMs = performance.now() - retrieveStarted;

  const composeStarted = performance.now();
  const generated = model ? await generatedAnswer(model, { question, history, retrieved, signal }, options, listener) : undefined;
  const composed = generated ?? extractiveAnswer(query, retrieved, options.persona, listener);
  const modelMs = generated?.modelMs ?? 0;
  const composeMs = performance.now() - composeStarted - modelMs;

  return {
    answer: composed.answer,
    citations: composed.citations,
    mode: model ? 'llm' : 'extractive',
    model: model ? model.model : extractiveModel,
    outcome: composed.outcome,
    clarifyingQuestions: composed.clarifyingQuestions,
    standaloneQuestion: query,
    retrieval: retrievalDetails(retrieved, generated?.given ?? retrieved),
    timings: {
      condenseMs: roundMilliseconds(condenseMs),
      retrieveMs: roundMilliseconds(retrieveMs),
      composeMs: roundMilliseconds(composeMs),
      modelMs: roundMilliseconds(modelMs),
      totalMs: roundMilliseconds(performance.now() - started),
    },
  };
}

/** The passages as numbered citations, before an answer cites them: each quotes its first sentence. */
function candidateCitations(passages: readonly RetrievedPassage[]): Citation[] {
  return passages.map((passage, index) => citationFor(passage, index + 1, splitSentences(passage.text)[0] ?? passage.text.slice(0, 200)));
}

/**
 * The extractive answer, composed from the passages' own sentences and heard word by word,
 * each word both as a token and as verified text (its citations hold by construction).
 */
function extractiveAnswer(
  query: string,
  retrieved: readonly RetrievedPassage[],
  persona: string | undefined,
  listener: AnswerListener,
): ComposedPart {
  listener.citations?.(candidateCitations(retrieved));
  const composed = composeExtractiveAnswer(query, retrieved);
  // It quotes crawled pages and their titles: cleaned as a model's answer would be.
  const answer = sanitizeAnswer(composed.text, {
    allowedUrls: composed.citations.map((citation) => citation.url),
    systemPrompt: persona,
    sourceTexts: retrieved.map((passage) => passage.text),
  }).text;
  for (const piece of streamPieces(answer)) {
    listener.token?.(piece);
    listener.verifiedText?.(piece);
  }
  return { answer, citations: composed.citations, outcome: composed.outcome, clarifyingQuestions: composed.clarifyingQuestions };
}

interface GenerationInput {
  question: string;
  history: readonly ConversationTurn[];
  retrieved: readonly RetrievedPassage[];
  signal: AbortSignal | undefined;
}

/**
 * The chat model's answer: the prompt packs what of the passages fits the context, the
 * answer streams to the listener, then every citation is verified. Without a verified
 * citation it is replaced by the "no support" answer.
 */
async function generatedAnswer(
  model: ChatModel,
  input: GenerationInput,
  options: AnswerQuestionOptions,
  listener: AnswerListener,
): Promise<ComposedPart & { given: readonly RetrievedPassage[]; modelMs: number }> {
  const prompt = buildChatPrompt({
    persona: options.persona ?? '',
    question: input.question,
    passages: input.retrieved,
    history: input.history,
    contextTokens: options.contextTokens ?? 16_000,
    maxAnswerTokens: options.maxAnswerTokens ?? 1024,
  });
  listener.citations?.(candidateCitations(prompt.passages));
  const modelStarted = performance.now();
  const text = await streamModelAnswer(model, prompt, options.persona, input.signal, listener);
  const modelMs = performance.now() - modelStarted;
  return { ...verifiedAnswer(text, prompt.passages, options.persona), given: prompt.passages, modelMs };
}

/**
 * Streams the model's answer to the listener and returns the whole of it. Unverified pieces
 * are shown as they come (`token`), but never an image, a link off the passages or the
 * prompt; whole sentences follow with their citations checked (`verifiedText`).
 */
async function streamModelAnswer(
  model: ChatModel,
  prompt: ChatPrompt,
  persona: string | undefined,
  signal: AbortSignal | undefined,
  listener: AnswerListener,
): Promise<string> {
  const verifyOptions = { systemPrompt: persona };
  const verifying = listener.verifiedText ? new CitationStream(prompt.passages, verifyOptions) : undefined;
  const showing = listener.token
    ? new StreamingCleaner(
        prompt.passages.map((passage) => passage.url),
        { ...verifyOptions, sourceTexts: prompt.passages.map((passage) => passage.text) },
      )
    : undefined;
  let text = '';
  for await (const piece of model.stream(prompt.messages, { signal })) {
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
  return text;
}

/** The model's answer with only the citations that hold, and the sources list under it; or, with none, the "no support" answer. */
function verifiedAnswer(text: string, passages: readonly RetrievedPassage[], persona: string | undefined): ComposedPart {
  const verified = verifyCitations(text, passages, { systemPrompt: persona });
  const { citations } = verified;
  const clarifyingQuestions = splitSentences(verified.text)
    .filter((sentence) => sentence.endsWith('?'))
    .slice(0, 2);
  if (citations.length > 0) {
    return { answer: `${verified.text.trim()}\n\n${sourcesList(citations)}`, citations, outcome: 'answered', clarifyingQuestions };
  }
  // Nothing the model said is backed by a passage: say so, keep only its questions.
  return { answer: noSupportAnswer(clarifyingQuestions), citations, outcome: 'no_support', clarifyingQuestions };
}

/** The list of sources under an answer, cleaned like the answer: titles and authors come from crawled pages. */
function sourcesList(citations: readonly Citation[]): string {
  return sanitizeAnswer(`**Sources**\n${citations.map(citationLine).join('\n')}`, {
    allowedUrls: citations.map((citation) => citation.url),
  }).text;
}

function noSupportAnswer(clarifyingQuestions: readonly string[]): string {
  return [noSupport, ...(clarifyingQuestions.length > 0 ? ['', `**To help me look again:** ${clarifyingQuestions.join(' ')}`] : [])].join(
    '\n',
  );
}
