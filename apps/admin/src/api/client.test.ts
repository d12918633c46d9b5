import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminKey, api, ApiError, askStream, onAuthRequired } from './client.js';

/** A text/event-stream response whose body arrives in the given pieces. */
function eventStream(pieces: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('api', () => {
  it('sends JSON with the session key as a bearer token, and parses the answer', async () => {
    const fetch = vi.fn(async () => json(201, { id: 'f1' }));
    vi.stubGlobal('fetch', fetch);
    adminKey.set('  cairn_admin_0123456789abcdef ');
    await expect(api('/v1/feedback', { body: { messageId: 'm', rating: 1 } })).resolves.toEqual({ id: 'f1' });
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/v1/feedback');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"messageId":"m","rating":1}');
    expect(init.headers).toMatchObject({ authorization: 'Bearer cairn_admin_0123456789abcdef', 'content-type': 'application/json' });
    expect(sessionStorage.getItem('cairn.adminKey')).toBe('cairn_admin_0123456789abcdef');
    expect(localStorage.length).toBe(0);
  });

  it('turns an error response into an ApiError with its code, and a 401 into a key request', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(401, { error: { code: 'unauthorized', message: 'Send an admin key.' } })),
    );
    const heard: ApiError[] = [];
    const stop = onAuthRequired((error) => heard.push(error));
    const failure = await api('/v1/sources').catch((error: unknown) => error);
    stop();
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 401, code: 'unauthorized', message: 'Send an admin key.' });
    expect(heard).toHaveLength(1);

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })),
    );
    await expect(api('/v1/sources')).rejects.toMatchObject({ status: 502, code: 'http_502' });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(api('/v1/sources')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('askStream', () => {
  it('calls back on citations and tokens, split anywhere, and resolves with done', async () => {
    const citations = [{ n: 1, title: 'Staff archetypes' }];
    const done = { answer: 'Pick an archetype [1].', citations, conversationId: 'c1', messageId: 'm1' };
    const wire = [
      `event: citations\ndata: ${JSON.stringify({ citations })}\n\n`,
      'event: token\ndata: {"text":"Pick "}\n\n',
      'event: token\nda',
      'ta: {"text":"an archetype [1]."}\n\n',
      `event: done\ndata: ${JSON.stringify(done)}\n\n`,
    ];
    const fetch = vi.fn(async () => eventStream(wire));
    vi.stubGlobal('fetch', fetch);
    const seen: string[] = [];
    const result = await askStream(
      { question: 'Which archetype am I?' },
      { citations: (list) => seen.push(`citations:${list.length}`), token: (text) => seen.push(text) },
    );
    expect(seen).toEqual(['citations:1', 'Pick ', 'an archetype [1].']);
    expect(result).toEqual(done);
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.headers).toMatchObject({ accept: 'text/event-stream' });
  });

  it('rejects with the code of an error event, and when the stream ends without done', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        eventStream([
          'event: token\ndata: {"text":"Hal"}\n\n',
          'event: error\ndata: {"error":{"code":"model_timeout","message":"The model took too long."}}\n\n',
        ]),
      ),
    );
    await expect(askStream({ question: 'q' }, {})).rejects.toMatchObject({ code: 'model_timeout', message: 'The model took too long.' });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => eventStream(['event: token\ndata: {"text":"Hal"}\n\n'])),
    );
    await expect(askStream({ question: 'q' }, {})).rejects.toMatchObject({ code: 'stream_ended' });
    // Bad input is a plain JSON error before any event.
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(400, { error: { code: 'question_empty', message: 'The question is empty.' } })),
    );
    await expect(askStream({ question: ' ' }, {})).rejects.toMatchObject({ status: 400, code: 'question_empty' });
  });
});
