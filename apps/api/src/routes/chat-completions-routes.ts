import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { sourcesList, type Citation, type ConversationTurn } from '@cairn/answer';
import { CairnError, characterCount, estimateTokens } from '@cairn/core';
import { CitationSchema, errorResponses, limits } from './shared-schemas.js';
import type { AskResult } from '../services/ask-service.js';
import { recordAnswer } from './ask-routes.js';
import { abortOnDisconnect, openEventStream, streamedError, timedOut, type EventStream } from './event-stream.js';

const ContentPart = Type.Object({ type: Type.String(), text: Type.Optional(Type.String()) }, { additionalProperties: true });

const ChatCompletionsBody = Type.Object(
  {
    model: Type.Optional(Type.String({ description: 'Ignored: Cairn answers with its configured model (named in the response)' })),
    messages: Type.Array(
      Type.Object(
        {
          role: Type.Unsafe<string>({
            type: 'string',
            enum: ['system', 'developer', 'user', 'assistant', 'tool', 'function'],
            description:
              "system, developer, user, assistant, tool or function; system and developer messages are ignored (the persona is Cairn's), tool and function messages too",
          }),
          content: Type.Union([Type.String(), Type.Array(ContentPart), Type.Null()]),
        },
        { additionalProperties: true },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    n: Type.Optional(
      Type.Union(
        [
          Type.Integer({
            minimum: 1,
            maximum: 1,
            description: 'How many choices: Cairn gives one answer, so 1 (a larger n is refused, not cut)',
          }),
          Type.Null(),
        ],
        { description: 'How many choices: 1, or null (a larger n is refused, not cut)' },
      ),
    ),
    max_tokens: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
        description:
          'Accepted and ignored (the answer is as long as the persona makes it), but must be a positive integer, as OpenAI requires',
      }),
    ),
    max_completion_tokens: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'As max_tokens: a positive integer, ignored' }),
    ),
    // Sampling parameters: accepted and ignored, but of the type and range OpenAI takes, so that a client's bug shows
    // here as it would there (probe 33 L5); null is unset.
    temperature: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 2 }), Type.Null()], { description: 'Ignored; 0 to 2' })),
    top_p: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'Ignored; 0 to 1' })),
    presence_penalty: Type.Optional(
      Type.Union([Type.Number({ minimum: -2, maximum: 2 }), Type.Null()], { description: 'Ignored; -2 to 2' }),
    ),
    frequency_penalty: Type.Optional(
      Type.Union([Type.Number({ minimum: -2, maximum: 2 }), Type.Null()], { description: 'Ignored; -2 to 2' }),
    ),
    seed: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'Ignored; an integer' })),
    stop: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 4 }), Type.Null()], {
        description: 'Ignored; a string or up to 4 strings',
      }),
    ),
    user: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Ignored; a string' })),
    logprobs: Type.Optional(
      Type.Union([Type.Boolean(), Type.Null()], { description: 'Ignored (no log probabilities are given); a boolean' }),
    ),
    // null is "unset" to OpenAI, as for tool_choice and response_format.
    stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    stream_options: Type.Optional(
      Type.Union([
        Type.Object({ include_usage: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])) }, { additionalProperties: true }),
        Type.Null(),
      ]),
    ),
  },
  {
    additionalProperties: true,
    description:
      'An OpenAI chat completions request; sampling fields (temperature, top_p, max_tokens, stop, …) are checked for the types and ranges OpenAI takes, then ignored; other fields (tools with tool_choice "auto", …) are accepted and ignored. A forced tool call (tool_choice "required" or a function) and JSON output (response_format json_object or json_schema) are refused with 400 invalid_request: Cairn answers in markdown and calls no tools',
  },
);
type ChatCompletionsBody = Static<typeof ChatCompletionsBody>;

const ChatCompletionResponse = Type.Object({
  id: Type.String(),
  object: Type.Literal('chat.completion'),
  created: Type.Integer(),
  model: Type.String(),
  choices: Type.Array(
    Type.Object({
      index: Type.Integer(),
      message: Type.Object({ role: Type.Literal('assistant'), content: Type.String() }),
      finish_reason: Type.String(),
      logprobs: Type.Null(),
    }),
  ),
  usage: Type.Object({ prompt_tokens: Type.Integer(), completion_tokens: Type.Integer(), total_tokens: Type.Integer() }),
  citations: Type.Array(CitationSchema, { description: 'The verified citations of the answer; the content ends with them as footnotes' }),
});

function textOf(content: ChatCompletionsBody['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  // Parts are pieces of one message: joined so that words at their edges stay words ("engineer" + "who", not "engineerwho").
  return (content ?? [])
    .map((part) => (part.type === 'text' ? (part.text ?? '') : ''))
    .filter((text) => text.length > 0)
    .reduce((joined, text) => (joined === '' || /\s$/.test(joined) || /^\s/.test(text) ? joined + text : `${joined} ${text}`), '');
}

/** The question (the last message, which must be the user's) and the turns before it. */
/**
 * What Cairn cannot give and a client would rely on: a forced tool call (`tool_choice`
 * "required" or a named function) or JSON output (`response_format` json_object or
 * json_schema). Refused (400), where answering markdown would break the client later.
 * `tools` with `tool_choice` "auto" or "none" is fine: a model may answer without a call.
 */
function refuseWhatCairnCannotDo(body: Record<string, unknown>): void {
  // null is "unset" to many clients, as for response_format.
  const choice = body.tool_choice;
  if (choice !== undefined && choice !== null && choice !== 'auto' && choice !== 'none')
    throw new CairnError(
      'invalid_request',
      'body.tool_choice: Cairn calls no tools and answers in text; send "auto", "none" or no tool_choice.',
    );
  const given = body.response_format;
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given)))
    throw new CairnError('invalid_request', 'body.response_format must be an object such as {"type": "text"}, or absent.');
  const format = (given as { type?: unknown } | null | undefined)?.type;
  if (format !== undefined && format !== 'text')
    throw new CairnError(
      'invalid_request',
      `body.response_format: Cairn answers in markdown text, not ${JSON.stringify(format)}; send {"type": "text"} or none.`,
    );
}

function readMessages(messages: ChatCompletionsBody['messages']): { question: string; history: ConversationTurn[] } {
  const turns = messages.filter((message) => message.role === 'user' || message.role === 'assistant');
  const last = messages.at(-1)!;
  if (last.role !== 'user') throw new CairnError('invalid_request', "messages: the last message must be the user's question.");
  const question = textOf(last.content);
  // Counted in characters and trimmed, as /v1/ask counts it (validQuestion).
  const characters = characterCount(question.trim());
  if (characters > limits.questionChars) {
    throw new CairnError('question_too_long', `The question has ${characters} characters; the limit is ${limits.questionChars}.`);
  }
  const history = turns.slice(0, -1).map((message) => ({ role: message.role as 'user' | 'assistant', content: textOf(message.content) }));
  return { question, history };
}

function usage(question: string, history: readonly ConversationTurn[], answer: string) {
  const promptTokens = estimateTokens([question, ...history.map((turn) => turn.content)].join('\n'));
  const completionTokens = estimateTokens(answer);
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

const ModelObject = Type.Object({
  id: Type.String(),
  object: Type.Literal('model'),
  created: Type.Integer(),
  owned_by: Type.String(),
});

/** When this process started, as OpenAI's model objects give `created` (seconds). */
const startedAt = Math.floor(Date.now() / 1000);

/**
 * OpenAI's chat completions API, so that the `openai` SDK and tools built on it can use
 * Cairn as a model. The last user message is the question and the earlier turns its
 * context (not stored as a conversation); the answer is the thought partner's, grounded
 * and cited, with the citations as footnotes in the content and as a `citations` field.
 */
export const chatCompletionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Tools built on OpenAI's API (and its SDK's models.list) ask which models there are before the first call.
  const modelObject = () => ({ id: app.cairn.ask.model, object: 'model' as const, created: startedAt, owned_by: 'cairn' });
  app.get(
    '/v1/models',
    {
      schema: {
        tags: ['answers'],
        summary: 'OpenAI-compatible list of models: the one model chat completions answers with',
        response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(ModelObject) }), ...errorResponses },
      },
    },
    async () => ({ object: 'list' as const, data: [modelObject()] }),
  );
  app.get(
    '/v1/models/:model',
    {
      schema: {
        tags: ['answers'],
        summary: 'OpenAI-compatible model lookup',
        params: Type.Object({ model: Type.String({ maxLength: 200 }) }),
        response: { 200: ModelObject, ...errorResponses },
      },
    },
    async (request) => {
      const model = modelObject();
      if (request.params.model !== model.id)
        throw new CairnError('not_found', `No model ${JSON.stringify(request.params.model)}; this API answers as ${model.id}.`);
      return model;
    },
  );

  app.post(
    '/v1/chat/completions',
    {
      schema: {
        tags: ['answers'],
        summary: 'OpenAI-compatible chat completions (streaming and not): the thought partner as a model',
        body: ChatCompletionsBody,
        response: { 200: ChatCompletionResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      refuseWhatCairnCannotDo(request.body);
      const { question, history } = readMessages(request.body.messages);
      const controller = new AbortController();
      abortOnDisconnect(reply, controller);
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      const input = { question, history, signal: controller.signal };
      if (!request.body.stream) {
        const result = await app.cairn.ask.ask(input);
        recordAnswer(app, '/v1/chat/completions', result);
        const content = withFootnotes(result.answer, result.citations);
        return {
          id,
          object: 'chat.completion' as const,
          created,
          model: result.model,
          choices: [{ index: 0, message: { role: 'assistant' as const, content }, finish_reason: 'stop', logprobs: null }],
          usage: usage(question, history, content),
          citations: result.citations,
        };
      }

      let stream: EventStream | undefined;
      const model = app.cairn.ask.model;
      const chunk = (delta: Record<string, string>, finishReason: string | null, extra: Record<string, unknown> = {}) => ({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
        ...extra,
      });
      const open = () => {
        if (!stream) {
          stream = openEventStream(request, reply);
          stream.send(null, chunk({ role: 'assistant', content: '' }, null));
        }
        return stream;
      };
      let streamed = '';
      try {
        const result: AskResult = await app.cairn.ask.ask(input, {
          candidates: () => open(),
          // Whole sentences with their markers checked: nothing shown is taken back later.
          verifiedText: (text) => {
            streamed += text;
            open().send(null, chunk({ content: text }, null));
          },
        });
        recordAnswer(app, '/v1/chat/completions', result);
        // The rest of the verified answer (the sources as footnotes; for an answer without
        // support, the whole of it, which replaces what the model wrote).
        const shown = streamed.trim();
        const content = withFootnotes(result.answer, result.citations);
        const footnotes = content.startsWith(shown) ? content.slice(shown.length) : `\n\n${content}`;
        if (footnotes) open().send(null, chunk({ content: footnotes }, null));
        open().send(null, chunk({}, 'stop', { citations: result.citations }));
        if (request.body.stream_options?.include_usage)
          open().send(null, { ...chunk({}, null), choices: [], usage: usage(question, history, streamed + footnotes) });
        open().sendData('[DONE]');
      } catch (error) {
        if (!stream) throw error;
        if (!controller.signal.aborted) open().send(null, streamedError(request, error));
        // Past the request's limit the client is still there: it gets the error, not a stream that just stops.
        else if (timedOut(controller.signal)) open().send(null, streamedError(request, controller.signal.reason));
      }
      stream?.end();
      return reply;
    },
  );
};

/** The answer with its sources as footnotes: OpenAI clients show the content, not a `citations` field. */
function withFootnotes(answer: string, citations: readonly Citation[]): string {
  return citations.length > 0 ? `${answer}\n\n${sourcesList(citations)}` : answer;
}
