import { z } from 'zod';
import { policyRefusals, type Citation, type ConversationAnswer } from '@cairn/answer';
import { abortable } from '@cairn/core';
import { maxTokensArgument, type CairnTool } from '../cairn-tool.js';
import { argumentLimits } from '../mcp-services.js';
import { cutText, fitWithin, tokensOf, truncationLine, withinBudget, type Truncation } from '../token-budget.js';
import { citationSchema, nameList, truncationSchema } from './shared-schemas.js';

/** The smallest budget an answer may be asked for: room for its citations' URLs and some of its text. */
export const minimumAnswerTokens = 800;

export const askCairnInput = (maxTokens: number) => ({
  question: z
    .string()
    .describe(
      `The question or situation, in the user's words with the context they gave (at most ${argumentLimits.questionChars} characters)`,
    ),
  conversationId: z
    .string()
    .max(100)
    .optional()
    .describe('Continue this conversation (the conversationId a previous ask_cairn returned); omit to start a new one'),
  source: nameList.optional().describe('Only cite these sources (names as list_sources shows them)'),
  author: nameList.optional().describe('Only cite these authors'),
  maxTokens: maxTokensArgument(maxTokens, minimumAnswerTokens),
});

export const askCairnOutput = {
  answer: z.string().describe('The answer, with [n] markers that refer to citations'),
  outcome: z
    .enum(['answered', 'refused', 'declined_decision', 'off_topic', 'no_support'])
    .describe(
      'answered; refused (writing or reviewing code); declined_decision (the call stays the user’s); off_topic; no_support (nothing in the sources, or a first message with nothing to look up yet, such as “Help.”)',
    ),
  refusal: z.enum(policyRefusals).nullable(),
  clarifyingQuestions: z.array(z.string()).describe('At most two questions whose answers would sharpen the advice: ask the user them'),
  frameworks: z.array(z.string()).describe('The frameworks the answer explains'),
  citations: z.array(citationSchema).describe('The sources of the [n] markers, each verified against its passage'),
  conversationId: z.string().describe('Pass it back as conversationId to continue the conversation'),
  messageId: z.string(),
  mode: z.enum(['llm', 'extractive']).describe('llm: written by the chat model; extractive: composed from the passages by rule'),
  model: z.string(),
  truncation: truncationSchema,
};

type CitationOut = z.infer<typeof citationSchema>;

function asCitation(citation: Citation, withQuote: boolean): CitationOut {
  return {
    n: citation.n,
    url: citation.url,
    title: citation.title,
    author: citation.author,
    source: citation.source,
    heading: citation.heading,
    kind: citation.kind,
    publishedAt: citation.publishedAt,
    quote: withQuote ? citation.quote : null,
    chunkId: citation.chunkId,
  };
}

function citationText(citation: CitationOut): string {
  const by = [citation.author, citation.source, citation.kind === 'note' ? "Cairn's note on the original" : null]
    .filter(Boolean)
    .join(', ');
  const quote = citation.quote === null ? '' : `\n    "${citation.quote}"`;
  return `[${citation.n}] ${citation.heading || citation.title} (${by}): ${citation.url} (passage ${citation.chunkId})${quote}`;
}

function render(answer: string, citations: CitationOut[], result: ConversationAnswer): string {
  const parts = [answer];
  if (citations.length > 0) parts.push(`Sources:\n${citations.map(citationText).join('\n')}`);
  if (result.clarifyingQuestions.length > 0)
    parts.push(`Questions for the user:\n${result.clarifyingQuestions.map((question) => `- ${question}`).join('\n')}`);
  parts.push(`(conversationId ${result.conversationId}: pass it to ask_cairn to continue this conversation)`);
  return parts.join('\n\n');
}

/**
 * The answer within a budget. Nothing is dropped while it fits; then the citations' quotes
 * go (each keeps its URL, so every [n] stays citable), then the end of the answer (marked).
 */
export function fitAnswer(result: ConversationAnswer, budget: number) {
  const size = (answer: string, citations: CitationOut[]) => tokensOf(render(answer, citations, result), { answer, citations });
  const quoted = result.citations.map((citation) => asCitation(citation, true));
  if (size(result.answer, quoted) <= budget) return { answer: result.answer, citations: quoted, truncation: null };
  const bare = result.citations.map((citation) => asCitation(citation, false));
  const quotesDropped = `the quotes of ${bare.length} citation${bare.length === 1 ? '' : 's'} were left out (each keeps its URL and passage id)`;
  const hint = 'Raise maxTokens to see them, or read a cited passage with get_document and its chunkId.';
  if (size(result.answer, bare) <= budget) {
    return { answer: result.answer, citations: bare, truncation: { maxTokens: budget, omitted: bare.length, what: quotesDropped, hint } };
  }
  const room = budget - size('', bare);
  if (room > 0) {
    const { text } = cutText(result.answer, Math.floor(room / 2));
    const truncation: Truncation = {
      maxTokens: budget,
      omitted: bare.length + 1,
      what: `${quotesDropped}; the answer was cut short (marked […])`,
      hint: 'Raise maxTokens to read the whole answer.',
    };
    return { answer: `${text} […]`, citations: bare, truncation };
  }
  // Not even the citations fit: the first ones that do, and no answer text (a budget this small is an operator's choice).
  const { kept, omitted } = fitWithin(bare, budget - size('[…]', []), (citation) => tokensOf(citationText(citation), citation));
  const truncation: Truncation = {
    maxTokens: budget,
    omitted: bare.length + omitted + 1,
    what: `the answer and ${omitted} of ${bare.length} citations were left out; the quotes of the rest too`,
    hint: 'Raise maxTokens to read the answer.',
  };
  return { answer: '[…]', citations: kept, truncation };
}

/** ask_cairn: the persona's cited answer to a question, in a conversation that can continue. */
export const askCairnTool = (maxTokens: number): CairnTool<ReturnType<typeof askCairnInput>, typeof askCairnOutput> => ({
  name: 'ask_cairn',
  title: 'Ask Cairn, the thought partner',
  description:
    'Ask Cairn, a thought partner for engineering leaders (staff+ engineers, managers, directors, CTOs), about a leadership situation: ' +
    'org design, staff roles, feedback, strategy, hiring, difficult conversations, the first 90 days. ' +
    'Returns its answer with numbered [n] citations to Will Larson, Lara Hogan and Jack Danger (each with a verified quote and the URL to cite), ' +
    'the clarifying questions it would ask the user, and a conversationId: pass it back with the user’s next message to continue. ' +
    'Give the user’s situation with the context they gave (team size, stage, what was tried). It does not write or review code. ' +
    'To follow a citation, call get_document with its chunkId.',
  scope: 'ask',
  limit: 'answer',
  inputSchema: askCairnInput(maxTokens),
  outputSchema: askCairnOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(args, { services, access, signal, budget }) {
    const list = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);
    const result = await abortable(
      services.answers.ask({
        question: args.question,
        conversationId: args.conversationId,
        filters: { sources: list(args.source), authors: list(args.author) },
        caller: access.conversationCaller,
        signal,
      }),
      signal,
    );
    return withinBudget(budget, (room) => {
      const fitted = fitAnswer(result, room);
      const { answer, citations } = fitted;
      const truncation = fitted.truncation && { ...fitted.truncation, maxTokens: budget };
      return {
        text: render(answer, citations, result) + truncationLine(truncation),
        structured: {
          answer,
          outcome: result.outcome,
          refusal: result.refusal,
          clarifyingQuestions: result.clarifyingQuestions,
          frameworks: result.frameworks,
          citations,
          conversationId: result.conversationId,
          messageId: result.messageId,
          mode: result.mode,
          model: result.model,
          truncation,
        },
      };
    });
  },
});
