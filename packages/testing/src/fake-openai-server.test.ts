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
});
