import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server received, for tests to assert on. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** The part of a chat completions request the server reads. */
export interface FakeChatBody {
  model?: string;
  messages?: { role: string; content: string }[];
  stream?: boolean;
  max_tokens?: number;
  stream_options?: { include_usage?: boolean };
}

export type FakeChatReply = string | ((body: FakeChatBody) => string);

export interface FakeOpenAIServer {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** Makes the next `count` requests fail with `status` (to exercise retries), and `message` as the error's text. */
  failNext(count: number, status?: number, message?: string): void;
  /**
   * What chat completions answer from now on: a fixed text, or one made from the request
   * (an adversarial model, in citation tests). Default: `defaultChatReply`.
   */
  setChatReply(reply: FakeChatReply): void;
  /** Milliseconds between streamed chunks (default 0), and before a non-streamed answer. */
  setChatDelay(milliseconds: number): void;
  /**
   * How a streamed answer is cut into chunks from now on: a model's tokens need not end
   * where words do (`attacker.` then `example/phish`). Default (and with `undefined`): words
   * with the spaces after them.
   */
  setChatChunks(split: ((text: string) => string[]) | undefined): void;
  /**
   * Holds every chat completion (received and recorded, but not answered) until the
   * returned release is called: a test can then act while it knows each request is
   * mid-answer, whatever the machine's load.
   */
  holdChat(): () => void;
  /** Chat requests whose client went away before the answer was complete (cancellation). */
  chatAborts(): number;
  close(): Promise<void>;
}

/**
 * A model that does what the persona prompt asks, simply: it repeats the first sentence of
 * passage [1] of the last user message, cited, or says it has no source.
 */
export function defaultChatReply(body: FakeChatBody): string {
  const last = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user')?.content ?? '';
  const passage = /<passage n="1"[^>]*>\n([\s\S]*?)\n<\/passage>/.exec(last)?.[1];
  if (!passage) return 'I could not find anything in the sources about that. What have you tried so far?';
  const sentence = /^[\s\S]*?[.!?](?=\s|$)/.exec(passage.trim())?.[0] ?? passage.trim();
  return `From the sources: ${sentence} [1]`;
}

/** A chat reply in the pieces a streaming model sends: words with their trailing space. */
function chatTokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A deterministic bag-of-words vector: texts that share words are close. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (const character of word) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619);
    vector[(hash >>> 0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** The sizes OpenAI's own models answer with; any other model gets the server's default. */
const nativeDimensions: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * A stand-in for OpenAI's API on loopback (the only fake the test suites use: the real
 * service is remote and paid). It serves `/v1/embeddings` in float and base64 encodings
 * and `/v1/chat/completions` with and without streaming, and records every request.
 */
export async function startFakeOpenAIServer(options: { defaultDimensions?: number } = {}): Promise<FakeOpenAIServer> {
  const requests: RecordedRequest[] = [];
  let failures = { count: 0, status: 500, message: 'injected failure' };
  let chatReply: FakeChatReply = defaultChatReply;
  let chatDelay = 0;
  let chatChunks: (text: string) => string[] = chatTokens;
  let aborts = 0;
  let chatHeld: Promise<void> | undefined;
  const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
  const server: Server = createServer(async (request, response) => {
    const body = await readJson(request).catch(() => undefined);
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body });
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    if (failures.count > 0) {
      failures.count -= 1;
      send(failures.status, { error: { message: failures.message, type: 'server_error' } });
      return;
    }
    if (request.method === 'POST' && path === '/v1/embeddings') {
      const input = (body as { input?: unknown; model?: string; dimensions?: number; encoding_format?: string }) ?? {};
      const texts = Array.isArray(input.input) ? input.input.map(String) : [String(input.input ?? '')];
      const dimensions = input.dimensions ?? nativeDimensions[input.model ?? ''] ?? options.defaultDimensions ?? 64;
      const base64 = input.encoding_format === 'base64';
      send(200, {
        object: 'list',
        model: input.model,
        data: texts.map((text, index) => {
          const vector = fakeEmbedding(text, dimensions);
          return { object: 'embedding', index, embedding: base64 ? toBase64(vector) : vector };
        }),
        usage: { prompt_tokens: texts.join(' ').split(/\s+/).length, total_tokens: texts.join(' ').split(/\s+/).length },
      });
      return;
    }
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      const chat = (body as FakeChatBody) ?? {};
      const text = typeof chatReply === 'string' ? chatReply : chatReply(chat);
      const id = `chatcmpl-fake-${requests.length}`;
      const created = Math.floor(Date.now() / 1000);
      const model = chat.model ?? 'fake-chat';
      const promptTokens = JSON.stringify(chat.messages ?? []).length >> 2;
      const usage = {
        prompt_tokens: promptTokens,
        completion_tokens: chatTokens(text).length,
        total_tokens: promptTokens + chatTokens(text).length,
      };
      let complete = false;
      response.on('close', () => {
        if (!complete) aborts += 1;
      });
      if (chatHeld) await chatHeld;
      if (!chat.stream) {
        if (chatDelay > 0) await sleep(chatDelay);
        if (response.destroyed) return;
        complete = true;
        send(200, {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage,
        });
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const chunk = (delta: Record<string, string>, finish: string | null, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
      response.write(chunk({ role: 'assistant', content: '' }, null));
      for (const token of chatChunks(text)) {
        if (chatDelay > 0) await sleep(chatDelay);
        if (response.destroyed) return;
        response.write(chunk({ content: token }, null));
      }
      response.write(chunk({}, 'stop'));
      if (chat.stream_options?.include_usage)
        response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
      complete = true;
      response.end('data: [DONE]\n\n');
      return;
    }
    send(404, { error: { message: `no route ${request.method} ${path}`, type: 'invalid_request_error' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext(count, status = 500, message = 'injected failure') {
      failures = { count, status, message };
    },
    setChatReply(reply) {
      chatReply = reply;
    },
    setChatDelay(milliseconds) {
      chatDelay = milliseconds;
    },
    setChatChunks(split) {
      chatChunks = split ?? chatTokens;
    },
    holdChat() {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      chatHeld = held;
      return () => {
        if (chatHeld === held) chatHeld = undefined;
        release();
      };
    },
    chatAborts: () => aborts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
