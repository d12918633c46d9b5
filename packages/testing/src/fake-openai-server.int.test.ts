import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './fake-openai-server.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(async () => server?.close());

interface EmbeddingsResponse {
  data: { embedding: number[] | string }[];
}

const embed = (body: unknown) =>
  fetch(`${server.url}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const embedJson = async (body: unknown) => (await (await embed(body)).json()) as EmbeddingsResponse;

describe('fake OpenAI server', () => {
  it('answers embeddings as floats, or base64 float32 when asked, and records the request', async () => {
    const floats = await embedJson({ model: 'text-embedding-3-small', input: ['a b', 'c'] });
    expect(floats.data).toHaveLength(2);
    expect(floats.data[0]!.embedding).toHaveLength(1536);
    const custom = await embedJson({ model: 'custom', input: 'a b' });
    const base64 = await embedJson({ model: 'custom', input: 'a b', encoding_format: 'base64' });
    const bytes = Buffer.from(base64.data[0]!.embedding as string, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toHaveLength(64);
    decoded.forEach((value, index) => expect(value).toBeCloseTo((custom.data[0]!.embedding as number[])[index]!, 6));
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/embeddings', body: { model: 'custom' } });
  });

  it('fails the next requests on demand, then recovers', async () => {
    server.failNext(1, 429);
    expect((await embed({ model: 'm', input: 'x' })).status).toBe(429);
    expect((await embed({ model: 'm', input: 'x' })).status).toBe(200);
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  });

  it('answers chat completions from the passages it is given, streamed or not, and counts abandoned streams', async () => {
    const messages = [
      { role: 'system', content: 'persona' },
      {
        role: 'user',
        content:
          '<passages>\n<passage n="1" title="t">\nSponsors advocate in rooms you are not in. More text.\n</passage>\n</passages>\n\nQuestion: q',
      },
    ];
    const chat = (body: unknown, signal?: AbortSignal) =>
      fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
    const whole = (await (await chat({ model: 'm', messages })).json()) as { choices: { message: { content: string } }[] };
    expect(whole.choices[0]!.message.content).toBe('From the sources: Sponsors advocate in rooms you are not in. [1]');

    const streamed = await (await chat({ model: 'm', messages, stream: true })).text();
    const events = streamed.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const text = events
      .slice(0, -1)
      .map((event) => (JSON.parse(event.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe(whole.choices[0]!.message.content);

    server.setChatReply((body) => `echo ${body.messages?.length}`);
    expect(((await (await chat({ messages })).json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe(
      'echo 2',
    );

    server.setChatDelay(50);
    const controller = new AbortController();
    const response = await chat({ messages, stream: true }, controller.signal);
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.chatAborts()).toBe(1);
    server.setChatDelay(0);

    const release = server.holdChat();
    let answered = false;
    const held = chat({ messages }).then(async (reply) => {
      answered = true;
      return (await reply.json()) as { choices: { message: { content: string } }[] };
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests.at(-1)!.path).toBe('/v1/chat/completions');
    expect(answered).toBe(false);
    release();
    expect((await held).choices[0]!.message.content).toBe('echo 2');
  });
});
