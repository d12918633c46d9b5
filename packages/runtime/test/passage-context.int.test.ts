import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmPassageContextWriter, OpenAIChatModel } from '@cairn/answer';
import { OpenAIEmbedder } from '@cairn/embed';
import { bylineOf, embeddingInput, ingestDirectory, parseMarkdownNote, passageHash, reembedChunks } from '@cairn/ingest';
import { Store } from '@cairn/store';
import { startFakeOpenAIServer, testRuntimes, type FakeChatBody, type FakeOpenAIServer } from '@cairn/testing';
import { keywordWeights, queryTerms } from '@cairn/text';

/**
 * Contextual passages with a chat model (CAIRN_PASSAGE_CONTEXT=llm), end to end through
 * directory ingestion, the store and re-embedding: the real writer over the chat model,
 * against the OpenAI-compatible test server (which records what is asked and embedded).
 */

/** A model that does what the prompt asks: one sentence per numbered passage, as JSON, with a word no note holds. */
function situate(body: FakeChatBody): string {
  const user = body.messages?.find((message) => message.role === 'user')?.content ?? '';
  const title = /<page title="([^"]*)">/.exec(user)?.[1] ?? '?';
  const sections = [...user.matchAll(/<passage n="(\d+)" section="([^"]*)">/g)];
  return JSON.stringify(
    Object.fromEntries(
      sections.map(([, n, section]) => [n, `This section of ${title} covers ${section!.split(' › ').at(-1)}, for wayfinding.`]),
    ),
  );
}

const notes = {
  'delegation.md': [
    '---',
    'title: Delegating well',
    'author: Ada Example',
    '---',
    '## Why delegate',
    '',
    'Delegation frees your time for the work only you can do, and grows the people you lead.',
    '',
    '## How to hand over',
    '',
    'Agree the outcome, the constraints and how often you will check in, then step back.',
    '',
    '## Checking in',
    '',
    'A short weekly check-in keeps the work visible without taking it back.',
    '',
  ].join('\n'),
  'feedback.md': [
    '---',
    'title: Feedback that lands',
    'author: Bo Example',
    '---',
    '## Observation first',
    '',
    'Start with what you saw or heard, not with what you concluded about the person.',
    '',
    '## Then the impact',
    '',
    'Say what the behaviour changed for you or the team, and ask what they think.',
    '',
  ].join('\n'),
};

/** What was embedded for a passage before contexts existed: heading path, byline, a blank line, the text. */
const plainHash = (heading: string, byline: string, text: string) =>
  createHash('sha256').update(`${heading}\n${byline}\n\n${text}`).digest('hex');

interface ChunkRow {
  source: string;
  locator: string;
  title: string;
  heading: string;
  text: string;
  contentHash: string;
  context: string | null;
  chunkId: string;
}

describe.each(testRuntimes)('passage contexts from the chat model on $name', (runtime) => {
  let store: Store;
  let drop: () => Promise<void>;
  let server: FakeOpenAIServer;
  let directory: string;
  /** Other notes (other titles), whose passages no other source has: their sentences are not stored yet. */
  let otherDirectory: string;
  let embedder: OpenAIEmbedder;
  let writer: LlmPassageContextWriter;
  const lines: string[] = [];

  const chatRequests = () => server.requests.filter((request) => request.path === '/v1/chat/completions');
  /** Every text sent to the embeddings endpoint for `model` (newlines as spaces, as the client sends them). */
  const embeddedInputs = (model: string) =>
    server.requests
      .filter((request) => request.path === '/v1/embeddings' && (request.body as { model?: string }).model === model)
      .flatMap((request) => (request.body as { input: string[] }).input);
  const chunksOf = (source: string) =>
    store.database.query<ChunkRow>(
      `select s.name as source, d.locator, d.title, c.heading, c.text, c.content_hash as "contentHash", c.context, c.id as "chunkId"
       from chunks c join documents d on d.id = c.document_id join sources s on s.id = c.source_id
       where s.name = $1 and d.status = 'active' order by d.locator, c.ordinal`,
      [source],
    );
  const ingest = (source: string, withWriter = true, from = directory) =>
    ingestDirectory(store, embedder, { directory: from, sourceName: source, ...(withWriter ? { passageContext: writer } : {}) });
  const authorOf = (chunk: ChunkRow) => (chunk.locator === 'delegation.md' ? 'Ada Example' : 'Bo Example');

  beforeAll(async () => {
    server = await startFakeOpenAIServer();
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
    directory = await mkdtemp(join(tmpdir(), 'cairn-passage-context-'));
    otherDirectory = await mkdtemp(join(tmpdir(), 'cairn-passage-context-'));
    for (const [file, text] of Object.entries(notes)) {
      await writeFile(join(directory, file), text);
      await writeFile(
        join(otherDirectory, file),
        text
          .replace('title: Delegating well', 'title: Delegating better')
          .replace('title: Feedback that lands', 'title: Feedback that sticks'),
      );
    }
    embedder = await OpenAIEmbedder.create({
      apiKey: 'sk-test',
      baseUrl: server.url,
      model: 'text-embedding-3-small',
      dimensions: 64,
      maxRetries: 0,
    });
    const model = new OpenAIChatModel({
      apiKey: 'sk-test',
      baseUrl: server.url,
      model: 'cairn-context-model',
      timeoutMs: 10_000,
      maxTokens: 1024,
      maxRetries: 0,
      maxConcurrency: 4,
    });
    writer = new LlmPassageContextWriter({ model, log: (line) => lines.push(line) });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await drop?.();
    await server?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
    if (otherDirectory) await rm(otherDirectory, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.setChatReply(situate);
    server.failNext(0);
    lines.length = 0;
  });

  it('without a writer, stores and embeds passages exactly as before: no sentence, no model call, the same hashes', async () => {
    const calls = chatRequests().length;
    const result = await ingest('plain', false);
    expect(result.counts).toMatchObject({ fetched: 2, failed: 0 });
    const chunks = await chunksOf('plain');
    expect(chunks).toHaveLength(5);
    for (const chunk of chunks) {
      expect(chunk.context).toBeNull();
      expect(chunk.contentHash).toBe(plainHash(chunk.heading, `${authorOf(chunk)} · plain`, chunk.text));
    }
    // The documents' hashes too: those of their outlines, as before (a stored page is not taken for changed).
    for (const [locator, text] of Object.entries(notes)) {
      const outline = parseMarkdownNote(text, locator);
      const fields = [outline.title, outline.author, outline.publishedAt, outline.url, outline.kind, outline.topics, outline.frameworks];
      const expected = createHash('sha256')
        .update(JSON.stringify([...fields, outline.blocks]))
        .digest('hex');
      const source = await store.sources.findByName('plain');
      expect((await store.documents.findState(source!.id, locator))?.contentHash).toBe(expected);
    }
    expect(chatRequests().length).toBe(calls);
    expect(await store.passageContexts.count(writer.model)).toBe(0);
  });

  it("writes each passage's sentence with one call per page, and embeds and keyword-indexes it with the passage", async () => {
    const calls = chatRequests().length;
    const embeddedBefore = embeddedInputs('text-embedding-3-small').length;
    const result = await ingest('situated');
    expect(result.counts).toMatchObject({ fetched: 2, failed: 0, chunksAdded: 5 });
    // One request per page, each with all of its passages, fenced under the page's outline.
    const requests = chatRequests().slice(calls);
    expect(requests).toHaveLength(2);
    const asked = requests.map((request) => (request.body as FakeChatBody).messages![1]!.content);
    expect(asked.map((user) => user.match(/<passage n=/g)!.length).sort()).toEqual([2, 3]);
    expect(asked.find((user) => user.includes('Delegating well'))).toContain(
      '<page title="Delegating well">\nOutline:\n- Why delegate\n- How to hand over\n- Checking in\n</page>',
    );

    const chunks = await chunksOf('situated');
    expect(chunks).toHaveLength(5);
    const embedded = new Set(embeddedInputs('text-embedding-3-small').slice(embeddedBefore));
    for (const chunk of chunks) {
      const section = chunk.heading.split(' › ').at(-1);
      expect(chunk.context).toBe(`This section of ${chunk.title} covers ${section}, for wayfinding.`);
      const byline = bylineOf(authorOf(chunk), 'situated');
      // The sentence is a context line: the content hash differs from the plain passage's, and is that of what was embedded.
      const input = embeddingInput(chunk.heading, chunk.text, byline, chunk.context);
      expect(input).toBe(`${chunk.heading}\n${byline}\n${chunk.context}\n\n${chunk.text}`);
      expect(chunk.contentHash).toBe(createHash('sha256').update(input).digest('hex'));
      expect(chunk.contentHash).not.toBe(plainHash(chunk.heading, byline, chunk.text));
      expect(embedded.has(input.replace(/\n/g, ' '))).toBe(true);
      // The keyword postings are the passage's BM25 weights with the sentence as a field.
      const postings = await store.database.query<{ term: string }>('select term from keyword_postings where chunk_id = $1', [
        chunk.chunkId,
      ]);
      expect(postings.map((posting) => posting.term).sort()).toEqual(
        [...keywordWeights(chunk.heading, chunk.text, { title: chunk.title, byline, passageContext: chunk.context }).keys()].sort(),
      );
    }
    // A word only the sentences hold finds these passages, and none of the plain ones.
    const hits = await store.search.keyword(queryTerms('wayfinding'), { limit: 20 });
    expect(hits.map((hit) => hit.source)).toEqual(Array(5).fill('situated'));
    // Stored once per passage, under the hash of its title, heading path and text.
    expect(await store.passageContexts.count(writer.model)).toBe(5);
    const stored = await store.passageContexts.find(
      writer.model,
      chunks.map((chunk) => passageHash(chunk.title, chunk.heading, chunk.text)),
    );
    expect(chunks.map((chunk) => stored.get(passageHash(chunk.title, chunk.heading, chunk.text)))).toEqual(
      chunks.map((chunk) => chunk.context),
    );
    expect(lines).toEqual([]);
  });

  it('reuses the stored sentences: an unchanged page asks nothing, an edited one only for its changed passage', async () => {
    const before = await chunksOf('situated');
    let calls = chatRequests().length;
    const again = await ingest('situated');
    expect(again.counts).toMatchObject({ unchanged: 2, chunksAdded: 0, chunksRemoved: 0 });
    expect(chatRequests().length).toBe(calls);

    await writeFile(
      join(directory, 'delegation.md'),
      notes['delegation.md'].replace('then step back.', 'then step back and let them own the result.'),
    );
    calls = chatRequests().length;
    const edited = await ingest('situated');
    expect(edited.counts).toMatchObject({ unchanged: 1, chunksAdded: 1, chunksRemoved: 1 });
    const requests = chatRequests().slice(calls);
    expect(requests).toHaveLength(1);
    const user = (requests[0]!.body as FakeChatBody).messages![1]!.content;
    expect(user.match(/<passage n=/g)).toHaveLength(1);
    expect(user).toContain('let them own the result');
    // The other passages kept their sentence and content hash (so their vectors too).
    const after = await chunksOf('situated');
    const changed = after.filter((chunk) => !before.some((old) => old.contentHash === chunk.contentHash));
    expect(changed.map((chunk) => chunk.heading)).toEqual(['Delegating well › How to hand over']);
    expect(changed[0]!.context).toBe('This section of Delegating well covers How to hand over, for wayfinding.');
    expect(await store.passageContexts.count(writer.model)).toBe(6);
    // The same passage in another source (another byline) finds its sentence too: no call.
    calls = chatRequests().length;
    await ingest('situated-copy');
    expect(chatRequests().length).toBe(calls);
    expect((await chunksOf('situated-copy')).map((chunk) => chunk.context)).toEqual(after.map((chunk) => chunk.context));
  });

  it('re-embedding builds each passage from the stored text and sentence: the input ingestion embedded', async () => {
    const other = await OpenAIEmbedder.create({
      apiKey: 'sk-test',
      baseUrl: server.url,
      model: 'text-embedding-3-large',
      dimensions: 64,
      maxRetries: 0,
    });
    const calls = chatRequests().length;
    const result = await reembedChunks(store, other);
    expect(result.embedded).toBeGreaterThan(0);
    const reembedded = embeddedInputs('text-embedding-3-large');
    const chunks = [...(await chunksOf('situated')), ...(await chunksOf('situated-copy')), ...(await chunksOf('plain'))];
    // One input per distinct passage, each exactly what ingestion sent for it.
    expect(reembedded).toHaveLength(chunks.length);
    expect(new Set(reembedded)).toEqual(
      new Set(
        chunks.map((chunk) =>
          embeddingInput(chunk.heading, chunk.text, bylineOf(authorOf(chunk), chunk.source), chunk.context).replace(/\n/g, ' '),
        ),
      ),
    );
    const ingested = new Set(embeddedInputs('text-embedding-3-small'));
    expect(reembedded.filter((input) => input.includes('wayfinding')).length).toBeGreaterThan(0);
    expect(reembedded.every((input) => ingested.has(input))).toBe(true);
    // No chat model is asked: the sentences come from the store.
    expect(chatRequests().length).toBe(calls);
    const [missing] = await store.embeddings.missing('openai:nothing-embedded@64', 100).then((rows) => rows.filter((row) => row.context));
    expect(missing?.context).toMatch(/for wayfinding\.$/);
  });

  it('leaves the passages of a page whose call failed without a sentence, stores the page, and asks again at its next ingestion', async () => {
    server.failNext(1, 500);
    const calls = chatRequests().length;
    const result = await ingest('flaky', true, otherDirectory);
    expect(result.counts).toMatchObject({ fetched: 2, failed: 0 });
    expect(chatRequests().length - calls).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(/^passage context llm \(cairn-context-model\) left \d of \d passages of ".*" without a sentence: /),
    ]);
    const chunks = await chunksOf('flaky');
    const without = chunks.filter((chunk) => chunk.context === null);
    const failedPage = without[0]!.locator;
    expect(without.map((chunk) => chunk.locator)).toEqual(
      chunks.filter((chunk) => chunk.locator === failedPage).map((chunk) => chunk.locator),
    );
    // No context line: the hash of a plain passage.
    for (const chunk of without) expect(chunk.contentHash).toBe(plainHash(chunk.heading, `${authorOf(chunk)} · flaky`, chunk.text));

    // The next ingestion takes up the page left incomplete (only it), and asks only for its passages.
    const next = chatRequests().length;
    const again = await ingest('flaky', true, otherDirectory);
    expect(again.counts).toMatchObject({ unchanged: 1 });
    const requests = chatRequests().slice(next);
    expect(requests).toHaveLength(1);
    expect((requests[0]!.body as FakeChatBody).messages![1]!.content.match(/<passage n=/g)).toHaveLength(without.length);
    expect((await chunksOf('flaky')).every((chunk) => chunk.context !== null)).toBe(true);
    const settled = chatRequests().length;
    expect((await ingest('flaky', true, otherDirectory)).counts).toMatchObject({ unchanged: 2 });
    expect(chatRequests().length).toBe(settled);
  });
});
