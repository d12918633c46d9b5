import {
  answerInConversation,
  extractiveModel,
  type AnswerListener,
  type AnswerQuestionOptions,
  type ChatModel,
  type ConversationAnswer,
  type ConversationQuestion,
  type PassageRetriever,
} from '@cairn/answer';
import type { Store } from '@cairn/store';

export type AskInput = ConversationQuestion;
export type AskResult = ConversationAnswer;

export interface AskServiceOptions {
  /** The chat model; without one, answers are extractive. */
  chatModel?: ChatModel | undefined;
  persona?: string | undefined;
  contextTokens?: number | undefined;
  maxAnswerTokens?: number | undefined;
  /** The longest question answered, in characters (the documented `limits.questionChars`). */
  maxQuestionChars: number;
  /** Closeness in meaning for extractive sentence selection (`meaningSimilarity` of @cairn/embed). */
  meaningSimilarity?: AnswerQuestionOptions['meaningSimilarity'];
}

/**
 * The answers of the API: `answerInConversation` with the application's store, retriever,
 * chat model and limits. A question comes with a stored conversation (POST /v1/ask) or
 * with the caller's own history (the OpenAI-compatible route), which is not stored.
 */
export class AskService {
  private readonly answering: AnswerQuestionOptions;

  constructor(
    private readonly store: Pick<Store, 'conversations'>,
    retriever: PassageRetriever,
    private readonly options: AskServiceOptions,
  ) {
    this.answering = {
      retriever,
      chatModel: options.chatModel,
      persona: options.persona,
      contextTokens: options.contextTokens,
      maxAnswerTokens: options.maxAnswerTokens,
      meaningSimilarity: options.meaningSimilarity,
    };
  }

  /** The model answers come from (a refused request is still answered by rule). */
  get model(): string {
    return this.options.chatModel?.model ?? extractiveModel;
  }

  ask(input: AskInput, listener: AnswerListener = {}): Promise<AskResult> {
    return answerInConversation(
      input,
      { ...this.answering, conversations: this.store.conversations, maxQuestionChars: this.options.maxQuestionChars },
      listener,
    );
  }
}
