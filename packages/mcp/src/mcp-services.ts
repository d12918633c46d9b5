import { answerInConversation, maxQuestionChars, type ConversationAnswer, type ConversationQuestion } from '@cairn/answer';
import type { RetrieveOptions, RetrieveResult } from '@cairn/retrieve';
import { createRetriever, type Runtime } from '@cairn/runtime';
import type { Store } from '@cairn/store';
import type { RunRequest } from '@cairn/ingest';
import { maxQueryChars } from '@cairn/core';

/** The documented limits of the MCP server; the same as the REST routes' where both have one. */
export interface McpLimits {
  /** CAIRN_MCP_MAX_TOKENS: the most any tool result, resource or prompt holds (a call may ask for less). */
  maxTokens: number;
  /** REQUEST_TIMEOUT_MS: the time limit of every tool call but `ask_cairn`. */
  requestTimeoutMs: number;
  /** CHAT_TIMEOUT_MS plus 10 s (at least REQUEST_TIMEOUT_MS): the time limit of `ask_cairn`, as of `POST /v1/ask`. */
  answerTimeoutMs: number;
  /** INGEST_MAX_QUEUED_RUNS. */
  maxQueuedRuns: number;
}

/** Fixed limits of the arguments, as the REST routes have them. */
export const argumentLimits = {
  queryChars: maxQueryChars,
  maxSearchK: 50,
  maxAskK: 20,
  questionChars: maxQuestionChars,
  urlChars: 2048,
} as const;

/** Where the server says what went wrong inside it (never to the client: it gets a code and a message). */
export type McpLog = (level: 'info' | 'warn' | 'error', message: string, error?: unknown) => void;

/**
 * What the MCP server is built from: the same store, retriever, answers and ingestion
 * runner as the entry point that serves it (the API, or `cairn mcp`).
 */
export interface McpServices {
  store: Store;
  retriever: {
    retrieve(query: string, options: RetrieveOptions): Promise<RetrieveResult>;
    readonly mode: string;
    readonly reranker: string | null;
  };
  /** Answers in a stored conversation (the API's AskService, or `answerInConversation` over a runtime). */
  answers: { ask(input: ConversationQuestion): Promise<ConversationAnswer> };
  /** Where ingestion runs go. */
  runner: { enqueue(request: RunRequest): Promise<string> };
  /** The persona prompt (packages/answer/persona/thought-partner.md, or CAIRN_PERSONA_PATH): the `thought_partner` prompt carries it. */
  persona: string;
  limits: McpLimits;
  log?: McpLog | undefined;
}

/** The limits of a configuration: CAIRN_MCP_MAX_TOKENS, REQUEST_TIMEOUT_MS, CHAT_TIMEOUT_MS, INGEST_MAX_QUEUED_RUNS. */
export function mcpLimits(config: Runtime['config']): McpLimits {
  return {
    maxTokens: config.mcp.maxTokens,
    requestTimeoutMs: config.requestTimeoutMs,
    answerTimeoutMs: Math.max(config.requestTimeoutMs, config.chat.timeoutMs + 10_000),
    maxQueuedRuns: config.maxQueuedRuns,
  };
}

/**
 * The services of a runtime opened with `answers: true` (`cairn mcp` over stdio): its store,
 * the configured retriever, answers in stored conversations, and its ingestion runner.
 */
export function mcpServicesFromRuntime(runtime: Runtime, options: { log?: McpLog } = {}): McpServices {
  const { config } = runtime;
  if (runtime.persona === undefined)
    throw new Error('open the runtime with `answers: true` to serve MCP (the prompt and ask_cairn need them)');
  const retriever = createRetriever(runtime, { log: (line) => options.log?.('warn', line) });
  return {
    store: runtime.store,
    retriever,
    answers: {
      ask: (input) =>
        answerInConversation(input, {
          conversations: runtime.store.conversations,
          retriever,
          chatModel: runtime.chatModel,
          persona: runtime.persona,
          contextTokens: config.chat.contextTokens,
          maxAnswerTokens: config.chat.maxTokens,
          maxQuestionChars,
          meaningSimilarity: runtime.meaningSimilarity,
        }),
    },
    runner: runtime.runner,
    persona: runtime.persona,
    limits: mcpLimits(config),
    log: options.log,
  };
}
