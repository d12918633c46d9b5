import { describe, expect, it } from 'vitest';
import { parseEventStream } from './parse-event-stream.js';

describe('parseEventStream', () => {
  it('reads named events with JSON data, unnamed ones as message, and [DONE]', () => {
    const body = 'event: citations\ndata: {"citations":[]}\n\nevent: token\ndata: {"text":"Hi"}\n\ndata: {"id":"x"}\n\ndata: [DONE]\n\n';
    expect(parseEventStream(body)).toEqual([
      { event: 'citations', data: { citations: [] } },
      { event: 'token', data: { text: 'Hi' } },
      { event: 'message', data: { id: 'x' } },
      { event: 'message', data: { done: true } },
    ]);
  });
});
