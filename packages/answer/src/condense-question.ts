import { analyzeText } from '@cairn/text';
import { completeChat, type ChatMessage, type ChatModel } from './chat-model.js';

/** An earlier turn of a conversation. */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** Words that point back at an earlier turn ("it", "that team"), or openings that continue one. */
const backReference = /\b(it|its|that|this|those|these|they|them|their|he|she|him|her|there|same|above|previous)\b/i;
const continuation = /^\s*(and|but|so|also|then|what about|how about|what if|why|how so|ok|okay|yes|no|sure|we|our|my|i)\b/i;

/** Whether the assistant's turn ended by asking the user something (clarifying questions). */
function askedQuestions(turn: ConversationTurn | undefined): boolean {
  if (!turn || turn.role !== 'assistant') return false;
  return (
    /\*\*(Before I go further|To help me look again):\*\*/.test(turn.content) ||
    /\?\s*$/.test(turn.content.replace(/\n\*\*Sources\*\*[\s\S]*$/, '').trim())
  );
}

/**
 * A follow-up as a standalone query, by rule (no model): a reply to the assistant's
 * clarifying questions, or a short message that points back ("what about for managers?",
 * "how do I start it?"), is joined to the user's earlier messages of the thread (the last
 * two, and the first, which usually tells the situation), so that the context they gave carries into retrieval and into the composer's
 * check for missing context. A question that stands on its own is kept as it is.
 */
export function condenseByRule(history: readonly ConversationTurn[], question: string, followsUp = false): string {
  const lastAssistant = [...history].reverse().find((turn) => turn.role === 'assistant');
  const earlierQuestions = history.filter((turn) => turn.role === 'user').map((turn) => turn.content.trim());
  if (earlierQuestions.length === 0) return question;
  const short = new Set(analyzeText(question)).size <= 6;
  // The conversation policy's reading (policy/classify-topic.ts isFollowUp) where the caller has it: "would that role
  // make sense in a 30 person org…" is long, but it names what was discussed.
  const dependent = followsUp || askedQuestions(lastAssistant) || (short && (backReference.test(question) || continuation.test(question)));
  if (!dependent) return question;
  // The thread's first message, which usually tells the situation, stays when later ones would push it out.
  const window = earlierQuestions.length > 2 ? [earlierQuestions[0]!.slice(0, 600), ...earlierQuestions.slice(-2)] : earlierQuestions;
  return [...window, question].join(' ').slice(-2000);
}

const condensePrompt =
  'You rewrite the last user message of a conversation as one standalone search query for a library of writing on engineering leadership. ' +
  'Carry over the context the user gave earlier (team size, company stage, constraints, what was tried, the subject being discussed). ' +
  'Answer with the query only: one line, no quotes, no preamble. If the message already stands alone, repeat it.';

/**
 * A follow-up as a standalone query, by the chat model when there is one (the last six
 * turns as context), else by rule; a model failure or an empty or overlong answer falls
 * back to the rule.
 */
export async function condenseQuestion(
  history: readonly ConversationTurn[],
  question: string,
  options: { model?: ChatModel | undefined; signal?: AbortSignal | undefined; followsUp?: boolean | undefined } = {},
): Promise<{ query: string; by: 'none' | 'rule' | 'model' }> {
  if (history.length === 0) return { query: question, by: 'none' };
  const rule = condenseByRule(history, question, options.followsUp);
  if (!options.model) return { query: rule, by: 'rule' };
  const transcript = history
    .slice(-6)
    .map(
      (turn) => `${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.content.replace(/\n\*\*Sources\*\*[\s\S]*$/, '').slice(0, 1500)}`,
    )
    .join('\n\n');
  const messages: ChatMessage[] = [
    { role: 'system', content: condensePrompt },
    { role: 'user', content: `Conversation:\n${transcript}\n\nLast user message: ${question}\n\nStandalone query:` },
  ];
  try {
    const answer = (await completeChat(options.model, messages, { signal: options.signal }))
      .trim()
      .split('\n')[0]!
      .replace(/^["']|["']$/g, '')
      .trim();
    if (answer && answer.length <= 1000) return { query: answer, by: 'model' };
  } catch (error) {
    if (options.signal?.aborted) throw error;
  }
  return { query: rule, by: 'rule' };
}
