import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, waitFor, type FakeChatBody, type FakeOpenAIServer } from '@cairn/testing';
import { OpenAIChatModel } from '../src/chat-model.js';
import { LlmPassageContextWriter, type LlmPassageContextWriterOptions } from '../src/llm-passage-context.js';

/**
 * The chat model's passage contexts against the OpenAI-compatible test server: what it
 * sends, how a page's passages are batched, how it reads the reply, and that every failure
 * leaves passages without a sentence (an ingestion never fails for them).
 */
let provider: FakeOpenAIServer;

beforeAll(async () => {
  provider = await startFakeOpenAIServer();
});
afterAll(async () => {
  await provider?.close();
});
beforeEach(() => {
  provider.setChatDelay(0);
  provider.failNext(0);
  provider.setChatReply(situate);
});

/** A model that does what the prompt asks: one sentence per numbered passage, naming its section, as JSON. */
function situate(body: FakeChatBody): string {
  const user = body.messages?.find((message) => message.role === 'user')?.content ?? '';
  const title = /<page title="([^"]*)">/.exec(user)?.[1] ?? '?';
  const sections = [...user.matchAll(/<passage n="(\d+)" section="([^"]*)">/g)];
  return JSON.stringify(Object.fromEntries(sections.map(([, n, section]) => [n, `This section of ${title} covers ${section}.`])));
}

const chatBodies = () =>
  provider.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => request.body as FakeChatBody);

function writer(options: Partial<LlmPassageContextWriterOptions> = {}) {
  const lines: string[] = [];
  const model = new OpenAIChatModel({
    apiKey: 'sk-test',
    baseUrl: provider.url,
    model: 'cairn-context-test',
    timeoutMs: 10_000,
    maxTokens: 1024,
    maxRetries: 0,
    maxConcurrency: 4,
  });
  return { lines, writer: new LlmPassageContextWriter({ model, log: (line) => lines.push(line), ...options }) };
}

const page = { title: 'Delegating well', headings: ['Why delegate', 'How to hand over'] };
const passages = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ heading: `Delegating well › Part ${index + 1}`, text: `Body of part ${index + 1}.` }));

describe('LlmPassageContextWriter against the OpenAI-compatible test server', () => {
  it("sends a page's passages together, numbered under its outline, and gives each its sentence", async () => {
    const sentBefore = chatBodies().length;
    const { writer: llm, lines } = writer();
    expect(llm.model).toBe('cairn-context-test');
    const written = await llm.describe(page, passages(3));
    expect(written).toEqual([1, 2, 3].map((n) => `This section of Delegating well covers Delegating well › Part ${n}.`));
    const bodies = chatBodies().slice(sentBefore);
    expect(bodies).toHaveLength(1);
    const user = bodies[0]!.messages![1]!.content;
    expect(user).toContain('<page title="Delegating well">\nOutline:\n- Why delegate\n- How to hand over\n</page>');
    expect(user).toContain('<passage n="3" section="Delegating well › Part 3">\nBody of part 3.\n</passage>');
    expect(lines).toEqual([]);
  });

  it('splits a long page into calls of at most maxPassagesPerCall passages, fewer when the reply tokens cannot hold them', async () => {
    let sentBefore = chatBodies().length;
    const { writer: llm } = writer();
    const twenty = await llm.describe(page, passages(20));
    expect(twenty.every((sentence, index) => sentence?.endsWith(`Part ${index + 1}.`))).toBe(true);
    expect(
      chatBodies()
        .slice(sentBefore)
        .map((body) => body.messages![1]!.content.match(/<passage n=/g)!.length),
    ).toEqual([16, 4]);

    sentBefore = chatBodies().length;
    // 256 reply tokens hold four sentences of up to ~64 tokens each.
    const { writer: short } = writer({ maxAnswerTokens: 256 });
    expect((await short.describe(page, passages(6))).every(Boolean)).toBe(true);
    expect(
      chatBodies()
        .slice(sentBefore)
        .map((body) => body.messages![1]!.content.match(/<passage n=/g)!.length),
    ).toEqual([4, 2]);
  });

  it('leaves the passages the reply does not name without a sentence, with one line', async () => {
    provider.setChatReply('{"2": "This section is the second part."}');
    const { writer: llm, lines } = writer();
    expect(await llm.describe(page, passages(3))).toEqual([null, 'This section is the second part.', null]);
    expect(lines).toEqual([
      'passage context llm (cairn-context-test) left 2 of 3 passages of "Delegating well" without a sentence: the reply gave none for them',
    ]);
  });

  it('leaves every passage without a sentence, and logs one line, when the reply is unusable', async () => {
    provider.setChatReply('I am sorry, but I cannot help with that.');
    const { writer: llm, lines } = writer();
    expect(await llm.describe(page, passages(2))).toEqual([null, null]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/left 2 of 2 passages of "Delegating well" without a sentence: the reply has no usable sentence: "I am sorry/);
  });

  it('leaves the passages without a sentence, makes no further call and logs one line when the model fails', async () => {
    provider.failNext(1, 500);
    const sentBefore = chatBodies().length;
    const { writer: llm, lines } = writer({ maxPassagesPerCall: 2 });
    expect(await llm.describe(page, passages(5))).toEqual([null, null, null, null, null]);
    // The first call failed: the other two batches of the page are not asked for.
    expect(chatBodies().length - sentBefore).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/left 5 of 5 passages of "Delegating well" without a sentence: The chat model cairn-context-test failed/);
  });

  it('keeps the sentences of the calls before a failure', async () => {
    const { writer: llm, lines } = writer({ maxPassagesPerCall: 2 });
    let calls = 0;
    provider.setChatReply((body) => {
      calls += 1;
      return calls === 2 ? 'no' : situate(body);
    });
    const written = await llm.describe(page, passages(5));
    expect(written.map(Boolean)).toEqual([true, true, false, false, false]);
    expect(calls).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/left 3 of 5 passages .* the reply has no usable sentence: "no"$/)]);
  });

  it('gives up on a call that does not reply in time, and cancels it', async () => {
    provider.setChatDelay(5000);
    const abortsBefore = provider.chatAborts();
    const { writer: llm, lines } = writer({ timeoutMs: 300 });
    const started = performance.now();
    expect(await llm.describe(page, passages(2))).toEqual([null, null]);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(lines).toEqual([
      'passage context llm (cairn-context-test) left 2 of 2 passages of "Delegating well" without a sentence: no reply within 300 ms',
    ]);
    await waitFor(async () => (provider.chatAborts() > abortsBefore ? true : undefined), 5000, 'the timed-out call to be cancelled');
  });

  it("stops when the caller's signal is aborted (a cancelled run, a shutdown), before or during the call", async () => {
    const { writer: llm, lines } = writer();
    const sentBefore = chatBodies().length;
    expect(await llm.describe(page, passages(2), { signal: AbortSignal.abort() })).toEqual([null, null]);
    expect(chatBodies().length).toBe(sentBefore);

    provider.setChatDelay(5000);
    const stop = new AbortController();
    const pending = llm.describe(page, passages(2), { signal: stop.signal });
    await waitFor(async () => (chatBodies().length > sentBefore ? true : undefined), 5000, 'the call to start');
    stop.abort(new Error('shutdown'));
    expect(await pending).toEqual([null, null]);
    expect(lines).toEqual([
      expect.stringMatching(/: the ingestion was cancelled$/),
      expect.stringMatching(/: the ingestion was cancelled$/),
    ]);
  });

  it('asks nothing for a page without passages', async () => {
    const sentBefore = chatBodies().length;
    const { writer: llm, lines } = writer();
    expect(await llm.describe(page, [])).toEqual([]);
    expect(chatBodies().length).toBe(sentBefore);
    expect(lines).toEqual([]);
  });
});
