import type * as LangChainMessageClasses from '@langchain/core/messages';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatOpenAI } from '@langchain/openai';
import pLimit, { type LimitFunction } from 'p-limit';
import { CairnError } from '@cairn/core';

/** A message of a chat prompt. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * What answers need of a chat model: its name, and its answer to a prompt, streamed. Every
 * implementation runs the contract suite in packages/answer/test/chat-model.contract.int.test.ts.
 */
export interface ChatModel {
  /** The model id the provider is asked for, reported with each answer. */
  readonly model: string;
  /**
   * The answer's text in pieces as the model writes them. Aborting `signal` cancels the
   * call and ends the stream with the signal's reason, as it is. A provider that fails
   * ends it with a CairnError `model_failed` (502), one that has not finished within its
   * timeout (its last token included) with `model_timeout` (504).
   */
  stream(messages: readonly ChatMessage[], options?: { signal?: AbortSignal | undefined }): AsyncIterable<string>;
}

export interface OpenAIChatModelOptions {
  apiKey: string;
  /** An OpenAI-compatible server (Ollama, vLLM, llama.cpp's server); OpenAI itself when absent. */
  baseUrl?: string | undefined;
  model: string;
  timeoutMs: number;
  maxTokens: number;
  maxRetries: number;
  /** Calls in flight at once from this process; the rest wait their turn. */
  maxConcurrency: number;
  /**
   * Calls that may wait for a slot (default unbounded); one more is refused at once with
   * `model_busy` (503) rather than waiting out its time limit behind the others.
   */
  maxQueued?: number | undefined;
}

type LangChainMessages = typeof LangChainMessageClasses;

function toLangChain(message: ChatMessage, { AIMessage, HumanMessage, SystemMessage }: LangChainMessages): BaseMessage {
  if (message.role === 'system') return new SystemMessage(message.content);
  if (message.role === 'assistant') return new AIMessage(message.content);
  return new HumanMessage(message.content);
}

/** The text of a streamed chunk, whether the provider sends a string or content parts. */
function chunkText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : '')).join('');
  return '';
}

/** What a provider's HTTP status says, in Cairn's words. */
function statusReason(status: number): string {
  if (status === 401 || status === 403) return `the provider refused the key or its access (${status})`;
  if (status === 404) return `the provider does not know the model or the address (${status})`;
  if (status === 429) return `the provider is rate limiting the calls or the quota is spent (${status})`;
  if (status >= 500) return `the provider failed on its side (${status})`;
  return `the provider refused the request (${status})`;
}

/**
 * A provider failure as a client-facing error: a timeout, or a failed call. The provider's own
 * text stays in the cause (the server's log), never in the message a caller reads: providers and
 * proxies put API keys, organisation ids and internal URLs in their error bodies.
 */
function modelError(error: unknown, model: string, timeoutMs: number): CairnError {
  const message = error instanceof Error ? error.message : String(error);
  if (/timed? ?out|timeout/i.test(message) || (error instanceof Error && error.name === 'TimeoutError')) {
    return new CairnError('model_timeout', `The chat model ${model} did not answer within ${timeoutMs} ms.`, { cause: error });
  }
  const status = (error as { status?: unknown } | null)?.status;
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.cause?.code ?? (error as { code?: unknown } | null)?.code;
  const reason =
    typeof status === 'number' && status >= 400
      ? statusReason(status)
      : /^\d{3}\b/.test(message)
        ? statusReason(Number(message.slice(0, 3)))
        : typeof code === 'string' && /^E[A-Z_]+$/.test(code)
          ? `the provider could not be reached (${code})`
          : 'the call failed; the server log has the provider’s answer';
  return new CairnError('model_failed', `The chat model ${model} failed: ${reason}.`, { cause: error });
}

/**
 * A chat model through LangChain's ChatOpenAI, OpenAI's or any OpenAI-compatible server's,
 * with every bound explicit (LangChain's defaults are unbounded): a timeout per call, a
 * cap on answer tokens, a few retries with backoff, and at most `maxConcurrency` calls at
 * once across the process (p-limit, held for the whole stream, not only its first byte), with
 * at most `maxQueued` waiting for a slot (the next is refused with `model_busy`).
 * LangChain is loaded at the first call (most of a second of start-up otherwise, for a
 * server that may never call a model: extractive answers need none).
 */
export class OpenAIChatModel implements ChatModel {
  readonly model: string;
  private connection: Promise<{ client: ChatOpenAI; messages: LangChainMessages }> | undefined;
  private readonly limit: LimitFunction;
  /** Calls waiting for a slot now: a caller that hung up while waiting is not one. */
  private waiting = 0;

  constructor(private readonly options: OpenAIChatModelOptions) {
    this.model = options.model;
    this.limit = pLimit(options.maxConcurrency);
  }

  private connect(): Promise<{ client: ChatOpenAI; messages: LangChainMessages }> {
    const options = this.options;
    this.connection ??= Promise.all([import('@langchain/openai'), import('@langchain/core/messages')]).then(
      ([{ ChatOpenAI }, messages]) => ({
        messages,
        client: new ChatOpenAI({
          apiKey: options.apiKey,
          model: options.model,
          maxTokens: options.maxTokens,
          timeout: options.timeoutMs,
          maxRetries: options.maxRetries,
          maxConcurrency: options.maxConcurrency,
          streaming: true,
          configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
        }),
      }),
    );
    return this.connection;
  }

  async *stream(messages: readonly ChatMessage[], options: { signal?: AbortSignal | undefined } = {}): AsyncIterable<string> {
    const { maxConcurrency, maxQueued } = this.options;
    options.signal?.throwIfAborted();
    if (maxQueued !== undefined && this.limit.activeCount >= maxConcurrency && this.waiting >= maxQueued) {
      throw new CairnError(
        'model_busy',
        `All ${maxConcurrency} calls to the chat model ${this.model} are in flight and ${this.waiting} wait already (CHAT_MAX_CONCURRENCY, CHAT_MAX_QUEUED); retry in a few seconds.`,
      );
    }
    // The slot is taken before the call and given back when the stream ends, however it ends. A caller that hangs up
    // while it waits leaves the queue at once (it no longer counts against CHAT_MAX_QUEUED), and its turn, when it
    // comes, passes without a call to the provider.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let acquired!: () => void;
    let abandoned!: (reason: unknown) => void;
    const slot = new Promise<void>((resolve, reject) => {
      acquired = resolve;
      abandoned = reject;
    });
    let queued = true;
    const leaveQueue = () => {
      if (queued) this.waiting -= 1;
      queued = false;
    };
    this.waiting += 1;
    void this.limit(() => {
      const gone = !queued;
      leaveQueue();
      if (gone || options.signal?.aborted) return Promise.resolve();
      acquired();
      return released;
    });
    const hangUp = () => {
      leaveQueue();
      abandoned(options.signal?.reason);
    };
    options.signal?.addEventListener('abort', hangUp, { once: true });
    try {
      await slot;
    } finally {
      options.signal?.removeEventListener('abort', hangUp);
    }
    // The whole call, its last token included, within CHAT_TIMEOUT_MS: the client's own timeout
    // bounds each request up to its first byte only, and a model that trickles tokens went on.
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const failure = (error: unknown) => {
      if (options.signal?.aborted || error instanceof CairnError) return error;
      if (deadline.aborted)
        return new CairnError('model_timeout', `The chat model ${this.model} did not finish within ${this.options.timeoutMs} ms.`, {
          cause: error,
        });
      return modelError(error, this.model, this.options.timeoutMs);
    };
    try {
      options.signal?.throwIfAborted();
      const { client, messages: classes } = await this.connect();
      const stream = await client
        .stream(
          messages.map((message) => toLangChain(message, classes)),
          { signal },
        )
        .catch((error: unknown) => {
          throw failure(error);
        });
      let said = false;
      try {
        for await (const chunk of stream) {
          const text = chunkText(chunk.content);
          if (text) {
            said = true;
            yield text;
          }
        }
      } catch (error) {
        throw failure(error);
      }
      // A reply with no text (an empty stream, or a body the client could not read as one) is the provider's failure,
      // not a model that found nothing in the sources: answered as no support, it hid a broken model or proxy.
      if (!said) throw new CairnError('model_failed', `The chat model ${this.model} returned no text.`);
    } finally {
      release();
    }
  }
}

/** The whole answer of a streamed call. */
export async function completeChat(
  model: ChatModel,
  messages: readonly ChatMessage[],
  options: { signal?: AbortSignal | undefined } = {},
): Promise<string> {
  let text = '';
  for await (const piece of model.stream(messages, options)) text += piece;
  return text;
}
