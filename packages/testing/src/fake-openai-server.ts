import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server received, for tests to assert on. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeOpenAIServer {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** Makes the next `count` requests fail with `status` (to exercise retries). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
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
 * and records every request.
 */
export async function startFakeOpenAIServer(options: { defaultDimensions?: number } = {}): Promise<FakeOpenAIServer> {
  const requests: RecordedRequest[] = [];
  let failures = { count: 0, status: 500 };
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
      send(failures.status, { error: { message: 'injected failure', type: 'server_error' } });
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
    send(404, { error: { message: `no route ${request.method} ${path}`, type: 'invalid_request_error' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext(count, status = 500) {
      failures = { count, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
