import { answerInConversation, extractiveModel, maxQuestionChars, type AnswerInConversationOptions } from '@cairn/answer';
import { loadConfig, localEmbeddingModel, type CairnConfig } from '@cairn/core';
import { meaningSimilarity } from '@cairn/embed';
import { createRetriever, openRuntime, type Runtime } from '@cairn/runtime';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@cairn/testing';
import type { AnswerPipeline } from './evaluate-answer-set.js';
import { llmChecks, scriptedChatReply, type RecordedChatRequest } from './llm-checks.js';

/** `extractive`: the composer, as on the defaults. `llm`: the chat model path, against the scripted test server. */
export type AnswerEvalMode = 'extractive' | 'llm';
export const answerEvalModes: readonly AnswerEvalMode[] = ['extractive', 'llm'];

export interface OpenAnswerPipelineOptions {
  mode: AnswerEvalMode;
  /** The environment the configuration is read from (the process's, for the command). */
  environment: Record<string, string | undefined>;
  /** Where the runtime's start-up lines and the rerank's go. */
  log?: (line: string) => void;
}

export interface OpenedAnswerPipeline extends AnswerPipeline {
  config: CairnConfig;
  close(): Promise<void>;
}

/**
 * The configuration of an evaluation run: the environment's, on a fresh in-memory database
 * (PGlite, no data directory) with the starter corpus loaded, and no queue. Extractive mode
 * forces extractive answers; LLM mode points the chat model at the test server, embeds with
 * the local model (the server's vectors are bags of words) and writes no passage contexts.
 */
export function answerEvalConfig(mode: AnswerEvalMode, environment: Record<string, string | undefined>, serverUrl?: string): CairnConfig {
  const overrides: Record<string, string | undefined> =
    mode === 'llm'
      ? {
          OPENAI_API_KEY: 'cairn-eval',
          OPENAI_BASE_URL: serverUrl,
          CAIRN_ANSWER_MODE: 'llm',
          CHAT_MODEL: 'cairn-eval-scripted',
          EMBEDDING_MODEL: environment.EMBEDDING_MODEL?.startsWith('local-') ? environment.EMBEDDING_MODEL : localEmbeddingModel,
          CAIRN_PASSAGE_CONTEXT: 'off',
        }
      : { CAIRN_ANSWER_MODE: 'extractive' };
  const config = loadConfig({ ...environment, ...overrides });
  return { ...config, databaseUrl: undefined, dataDir: '', redisUrl: undefined, starterCorpus: true };
}

/**
 * Opens the real answer path for an evaluation: the runtime (store, embedder, retriever of
 * CAIRN_RERANK, chat model and persona) and `answerInConversation` as `cairn ask` calls it,
 * each conversation stored so follow-ups read their history from the store. In LLM mode the
 * test server of @cairn/testing answers with `scriptedChatReply`, and each turn's requests
 * are checked (llm-checks.ts).
 */
export async function openAnswerPipeline(options: OpenAnswerPipelineOptions): Promise<OpenedAnswerPipeline> {
  const log = options.log ?? (() => undefined);
  let server: FakeOpenAIServer | undefined;
  let runtime: Runtime | undefined;
  try {
    if (options.mode === 'llm') {
      server = await startFakeOpenAIServer();
      server.setChatReply(scriptedChatReply);
    }
    const config = answerEvalConfig(options.mode, options.environment, server?.url);
    runtime = await openRuntime(config, { answers: true, log });
    const opened = runtime;
    const answerOptions: AnswerInConversationOptions = {
      conversations: opened.store.conversations,
      retriever: createRetriever(opened, { log }),
      chatModel: opened.chatModel,
      persona: opened.persona,
      contextTokens: config.chat.contextTokens,
      maxAnswerTokens: config.chat.maxTokens,
      maxQuestionChars,
      meaningSimilarity: meaningSimilarity(opened.embedder),
    };
    const fake = server;
    return {
      mode: options.mode,
      model: opened.chatModel?.model ?? extractiveModel,
      config,
      checks: fake ? Object.fromEntries(Object.entries(llmChecks).map(([id, entry]) => [id, entry.description])) : undefined,
      async ask(turn, storedConversationId) {
        const before = fake?.requests.length ?? 0;
        const result = await answerInConversation(
          { question: turn.turn.question, conversationId: storedConversationId, k: 6, filters: {} },
          answerOptions,
        );
        if (!fake) return { result, storedConversationId: result.conversationId };
        const requests = fake.requests
          .slice(before)
          .filter((request) => request.path === '/v1/chat/completions')
          .map((request) => request.body as RecordedChatRequest);
        const exchange = {
          turn: turn.turn,
          index: turn.index,
          previousQuestions: turn.previous.map((earlier) => earlier.question),
          requests,
          persona: opened.persona ?? '',
          result,
        };
        const checks = Object.fromEntries(Object.entries(llmChecks).map(([id, entry]) => [id, entry.check(exchange)]));
        return { result, checks, storedConversationId: result.conversationId };
      },
      async close() {
        await opened.close();
        await fake?.close();
      },
    };
  } catch (error) {
    await runtime?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    throw error;
  }
}
