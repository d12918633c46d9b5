import { policyRefusals, type PolicyRefusal } from '@cairn/answer';
import { Type, type Static } from 'typebox';
import { Filters, Ranks } from './search-schemas.js';
import { CitationSchema, limits } from './shared-schemas.js';

export const AskBody = Type.Object(
  {
    question: Type.String({ description: `The question (at most ${limits.questionChars} characters)` }),
    conversationId: Type.Optional(Type.String({ description: 'Continue this conversation' })),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: limits.maxAskK, default: 6 })),
    filters: Type.Optional(Filters),
  },
  { additionalProperties: false },
);
export type AskBody = Static<typeof AskBody>;

export const RetrievedSchema = Type.Object({
  rank: Type.Integer({ description: '1-based rank in the results (after fusion and reranking)' }),
  chunkId: Type.String(),
  url: Type.String(),
  title: Type.String(),
  source: Type.String(),
  heading: Type.String(),
  score: Type.Number({ description: 'The fused score' }),
  ranks: Ranks,
  inPrompt: Type.Boolean({ description: 'Whether the passage was given to the composer or model (the context budget may leave some out)' }),
});

export const AskResponse = Type.Object({
  answer: Type.String(),
  citations: Type.Array(CitationSchema),
  conversationId: Type.String(),
  messageId: Type.String(),
  mode: Type.Union([Type.Literal('llm'), Type.Literal('extractive')]),
  model: Type.String(),
  outcome: Type.Union(
    [
      Type.Literal('answered'),
      Type.Literal('refused'),
      Type.Literal('declined_decision'),
      Type.Literal('off_topic'),
      Type.Literal('no_support'),
    ],
    {
      description:
        '`answered`: a cited answer. `refused`: a request to write code (`refusal: write_code`) or to review code or a pull request (`review_code`), declined with what Cairn can help with instead; or for what Cairn does not give: its instructions, keys or settings, or to set them aside (`system_instructions`), words in an author\'s name or voice (`impersonate_author`), a person\'s private details (`private_information`). `declined_decision`: a decision asked of Cairn (`decide_for_user`): it says the call stays the user\'s and helps think it through, with citations. `off_topic`: outside engineering leadership (`off_topic`): one line on what Cairn covers and an example question; or a question only a doctor, a lawyer or a financial adviser can answer (`professional_advice`): who to ask instead. A leadership question with such a side is answered, opening with a line that sends that side to them. `no_support`: nothing in the sources speaks to it; the answer says so and asks what would help. A first message with nothing to look up yet ("Help.", "hi") gets the same outcome: a hello, what Cairn covers and two questions about the situation.',
    },
  ),
  refusal: Type.Unsafe<PolicyRefusal | null>({
    type: ['string', 'null'],
    enum: [...policyRefusals, null],
    description: 'Why Cairn declined or held back, by kind; null otherwise',
  }),
  clarifyingQuestions: Type.Array(Type.String(), {
    description:
      'At most two: a question about the premise first when the question carries an assumption, then what is unknown and matters',
  }),
  frameworks: Type.Array(Type.String(), {
    description: "The persona's frameworks the answer explains, each from a passage by its own author",
  }),
  standaloneQuestion: Type.String({ description: 'What retrieval searched for: the question, or a follow-up made standalone' }),
  retrieval: Type.Array(RetrievedSchema, {
    description: 'Every passage retrieval returned, with its scores and ranks (the retrieval details)',
  }),
  timings: Type.Object({
    condenseMs: Type.Number({ description: 'making a follow-up standalone' }),
    retrieveMs: Type.Number(),
    composeMs: Type.Number({ description: "Cairn's own work on the answer: prompt, verification (extractive: the whole composition)" }),
    modelMs: Type.Number({ description: "the chat model's time (0 in extractive mode)" }),
    totalMs: Type.Number(),
  }),
});
