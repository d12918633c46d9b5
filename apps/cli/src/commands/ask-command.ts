import { Command } from 'commander';
import { loadConfig, refuseInvalidText } from '@cairn/core';
import { answerInConversation, maxQuestionChars, sourcesList, validQuestion } from '@cairn/answer';
import { createRetriever, openRuntime } from '@cairn/runtime';
import { collect, emit, integerIn } from '../output.js';

export const askCommand = new Command('ask')
  .description('Ask a question and print the cited answer')
  .argument('<question>', 'the question, in quotes')
  .option('--conversation <id>', 'continue a conversation (the id a previous answer printed)')
  .option('-k, --k <n>', 'passages to retrieve (1-20)', integerIn(1, 20), 6)
  .option('--source <name>', 'only this source (repeatable)', collect)
  .option('--author <name>', 'only this author (repeatable)', collect)
  .option('--json', 'print the whole response as JSON')
  .action(async (question: string, options: { conversation?: string; k: number; source?: string[]; author?: string[]; json?: boolean }) => {
    refuseInvalidText({ question, source: options.source, author: options.author }, 'arguments');
    validQuestion(question, maxQuestionChars);
    const config = loadConfig();
    const runtime = await openRuntime(config, { answers: true });
    try {
      // In a terminal, the model's answer appears as it is written; the verified answer follows.
      const live = !options.json && process.stdout.isTTY && runtime.chatModel !== undefined;
      const result = await answerInConversation(
        {
          question,
          conversationId: options.conversation,
          k: options.k,
          filters: { sources: options.source, authors: options.author },
        },
        {
          conversations: runtime.store.conversations,
          retriever: createRetriever(runtime, { log: (line) => process.stderr.write(`${line}\n`) }),
          chatModel: runtime.chatModel,
          persona: runtime.persona,
          contextTokens: config.chat.contextTokens,
          maxAnswerTokens: config.chat.maxTokens,
          maxQuestionChars,
          meaningSimilarity: runtime.meaningSimilarity,
        },
        live ? { token: (text) => process.stderr.write(text) } : {},
      );
      if (live) process.stderr.write('\n\n');
      emit(
        Boolean(options.json),
        result,
        // The [n] markers name these: the sources follow the answer, as in chat completions.
        () =>
          `${result.answer}${result.citations.length > 0 ? `\n\n${sourcesList(result.citations)}` : ''}\n\n(conversation ${result.conversationId}; continue with --conversation ${result.conversationId})`,
      );
    } finally {
      await runtime.close();
    }
  });
