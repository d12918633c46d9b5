import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '@cairn/core';
import { keywordWeights, queryTerms } from '@cairn/text';
import { migrate, type ChunkInput, type Store } from '../src/index.js';
import { axisVector, documentInput, runtimes } from './runtimes.js';

const dimensions = 8;
const model = 'test-model-v1';

function chunk(ordinal: number, text: string, heading = 'Section'): ChunkInput {
  return {
    ordinal,
    headingPath: ['Doc', heading],
    heading: `Doc › ${heading}`,
    anchor: heading.toLowerCase(),
    text,
    tokenCount: text.split(' ').length,
    contentHash: contentHash(text),
    keywords: keywordWeights('', text),
  };
}

describe.each(runtimes)('store contract on $name', (runtime) => {
  let store: Store;
  let close: () => Promise<void>;
  let sourceA: string;
  let sourceB: string;

  beforeAll(async () => {
    ({ store, close } = await runtime.open());
    sourceA = (await store.sources.upsert({ name: 'alpha', kind: 'directory', baseUrl: 'file:///alpha' })).id;
    sourceB = (await store.sources.upsert({ name: 'beta', kind: 'web', baseUrl: 'https://beta.test/' })).id;
    await store.embeddings.registerModel(model, dimensions);
  }, 60_000);

  afterAll(async () => close?.());

  it('applies migrations only once', async () => {
    const again = await migrate(store.database);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
  });

  it('makes the first registered model active and the next one building', async () => {
    expect((await store.embeddings.findModel(model))?.status).toBe('active');
    const second = await store.embeddings.registerModel('test-model-v2', 4);
    expect(second.status).toBe('building');
    await expect(store.embeddings.registerModel(model, 16)).rejects.toThrow(/registered with 8 dimensions/);
  });

  it('stores a document with chunks and vectors, and finds it by vector and by keyword', async () => {
    const chunks = [
      chunk(0, 'Staff engineers set technical direction for a team', 'Tech Lead'),
      chunk(1, 'Sponsorship opens doors that mentorship cannot', 'Sponsors'),
    ];
    const vectors = new Map([
      [chunks[0]!.contentHash, axisVector(dimensions, { 0: 1 })],
      [chunks[1]!.contentHash, axisVector(dimensions, { 1: 1 })],
    ]);
    const result = await store.documents.replace(documentInput(sourceA, 'doc-1'), chunks, { model, vectors });
    expect(result).toMatchObject({ chunksAdded: 2, chunksRemoved: 0 });

    const nearest = await store.search.dense({ id: model, dimensions }, axisVector(dimensions, { 1: 1, 2: 0.1 }), { limit: 5 });
    expect(nearest[0]).toMatchObject({
      text: 'Sponsorship opens doors that mentorship cannot',
      source: 'alpha',
      anchor: 'sponsors',
      kind: 'article',
    });
    expect(nearest[0]!.score).toBeGreaterThan(0.99);
    expect(nearest[0]!.headingPath).toEqual(['Doc', 'Sponsors']);

    const keyword = await store.search.keyword(queryTerms('how do staff engineers lead?'), { limit: 5 });
    expect(keyword.map((hit) => hit.text)).toEqual(['Staff engineers set technical direction for a team']);
    expect(await store.search.keyword(queryTerms('the of and'), { limit: 5 })).toEqual([]);
  });

  it('filters by source name and by author', async () => {
    const text = 'Staff engineers at beta write strategy';
    await store.documents.replace(documentInput(sourceB, 'doc-b', { author: 'Lara Hogan' }), [chunk(0, text)], {
      model,
      vectors: new Map([[contentHash(text), axisVector(dimensions, { 0: 1, 3: 0.2 })]]),
    });
    const query = axisVector(dimensions, { 0: 1 });
    const onlyBeta = await store.search.dense({ id: model, dimensions }, query, { limit: 5, filters: { sources: ['beta'] } });
    expect(onlyBeta.map((hit) => hit.source)).toEqual(['beta']);
    const byAuthor = await store.search.keyword(queryTerms('staff engineers'), { limit: 5, filters: { authors: ['lara hogan'] } });
    expect(byAuthor.map((hit) => hit.author)).toEqual(['Lara Hogan']);
    const both = await store.search.keyword(queryTerms('staff engineers'), { limit: 5 });
    expect(new Set(both.map((hit) => hit.source))).toEqual(new Set(['alpha', 'beta']));
  });

  it('replaces a document wholly and reports what changed; reuses cached vectors', async () => {
    const kept = 'Staff engineers set technical direction for a team';
    const added = 'Right hands extend an executive';
    const result = await store.documents.replace(
      documentInput(sourceA, 'doc-1', { contentHash: 'v2' }),
      [chunk(0, kept, 'Tech Lead'), chunk(1, added, 'Right Hand')],
      {
        model,
        vectors: new Map([[contentHash(added), axisVector(dimensions, { 4: 1 })]]),
      },
    );
    expect(result).toMatchObject({ chunksAdded: 1, chunksRemoved: 1 });
    const cached = await store.embeddings.findCached(model, [
      contentHash(kept),
      contentHash('Sponsorship opens doors that mentorship cannot'),
    ]);
    expect([...cached.keys()]).toEqual([contentHash(kept)]);
    expect((cached.get(contentHash(kept)) as number[])[0]).toBeCloseTo(1, 5);
    const state = await store.documents.findState(sourceA, 'doc-1');
    expect(state).toMatchObject({ contentHash: 'v2', status: 'active' });
  });

  it('keeps one passage context per passage and model, and the sentence a chunk was embedded with for re-embedding', async () => {
    expect(await store.passageContexts.find('chat-a', ['p1', 'p2'])).toEqual(new Map());
    await store.passageContexts.insert('chat-a', new Map([['p1', 'This section opens the guide.']]));
    // A passage that has its sentence keeps it; another model's are apart.
    await store.passageContexts.insert(
      'chat-a',
      new Map([
        ['p1', 'A second sentence for the same passage.'],
        ['p2', 'This section closes it.'],
      ]),
    );
    await store.passageContexts.insert('chat-b', new Map([['p1', 'Another model on the same passage.']]));
    expect(await store.passageContexts.find('chat-a', ['p1', 'p2', 'p3', 'p1'])).toEqual(
      new Map([
        ['p1', 'This section opens the guide.'],
        ['p2', 'This section closes it.'],
      ]),
    );
    expect(await store.passageContexts.count('chat-a')).toBe(2);
    expect(await store.passageContexts.count('chat-b')).toBe(1);

    const situated = {
      ...chunk(0, 'Sponsors spend their credibility on you', 'Sponsorship'),
      context: 'This section defines sponsorship.',
    };
    const plain = chunk(1, 'Mentors give advice', 'Mentorship');
    const sourceC = (await store.sources.upsert({ name: 'gamma', kind: 'directory', baseUrl: 'file:///gamma' })).id;
    await store.documents.replace(documentInput(sourceC, 'doc-context'), [situated, plain], { model, vectors: new Map() });
    const missing = await store.embeddings.missing('not-built-yet', 1000);
    expect(missing.find((passage) => passage.contentHash === situated.contentHash)).toMatchObject({
      heading: 'Doc › Sponsorship',
      source: 'gamma',
      context: 'This section defines sponsorship.',
    });
    expect(missing.find((passage) => passage.contentHash === plain.contentHash)?.context).toBeNull();
  });

  it('leaves the old version whole when a replacement fails half way', async () => {
    const before = await store.search.keyword(queryTerms('right hands executive'), { limit: 5 });
    const bad = { ...chunk(2, 'this chunk breaks the insert'), text: null as unknown as string };
    await expect(
      store.documents.replace(documentInput(sourceA, 'doc-1', { contentHash: 'v3', title: 'Broken' }), [chunk(0, 'new text'), bad], {
        model,
        vectors: new Map(),
      }),
    ).rejects.toThrow();
    expect(await store.documents.findState(sourceA, 'doc-1')).toMatchObject({ contentHash: 'v2' });
    expect(await store.search.keyword(queryTerms('right hands executive'), { limit: 5 })).toEqual(before);
  });

  it('tombstones documents missing from a complete crawl and drops them from search', async () => {
    const gone = await store.documents.tombstoneMissing(sourceB, []);
    expect(gone).toEqual([{ locator: 'doc-b', chunksRemoved: 1 }]);
    expect((await store.documents.findState(sourceB, 'doc-b'))?.status).toBe('tombstoned');
    expect(await store.search.keyword(queryTerms('beta strategy'), { limit: 5, filters: { sources: ['beta'] } })).toEqual([]);
    expect(await store.embeddings.findCached(model, [contentHash('Staff engineers at beta write strategy')])).toEqual(new Map());
  });

  it('ranks keyword matches by BM25, reading at most `depth` postings a term', async () => {
    const { id: sourceId } = await store.sources.upsert({ name: 'gamma', kind: 'web', baseUrl: 'https://gamma.test/' });
    for (let index = 0; index < 12; index += 1) {
      const text = index === 0 ? 'Every team needs a zeppelin strategy' : `Every team writes notes number ${index}`;
      await store.documents.replace(documentInput(sourceId, `gamma-${index}`), [chunk(0, text)], { model, vectors: new Map() });
    }
    await store.documents.refreshStatistics();
    const filters = { sources: ['gamma'] };
    const hits = await store.search.keyword(queryTerms('team zeppelin'), { limit: 20, filters });
    expect(hits).toHaveLength(12);
    expect(hits[0]!.text).toBe('Every team needs a zeppelin strategy');
    // The rare term outweighs the common one: its IDF is higher.
    expect(hits[0]!.score).toBeGreaterThan(2 * hits[1]!.score);
    const shallow = await store.search.keyword(queryTerms('team'), { limit: 20, filters, depth: 5 });
    expect(shallow).toHaveLength(5);
  });

  it('deletes keyword postings with their chunks, however the chunks go', async () => {
    const postings = async (sql = 'select count(*)::int as n from keyword_postings p') =>
      (await store.database.query<{ n: number }>(sql))[0]!.n;
    const orphans = () =>
      postings('select count(*)::int as n from keyword_postings p where not exists (select 1 from chunks c where c.id = p.chunk_id)');
    const { id: sourceId } = await store.sources.upsert({ name: 'delta', kind: 'web', baseUrl: 'https://delta.test/' });
    const before = await postings();
    const first = [chunk(0, 'Quarterly planning with delta teams'), chunk(1, 'Delta incident reviews without blame', 'Reviews')];
    await store.documents.replace(documentInput(sourceId, 'delta-1'), first, { model, vectors: new Map() });
    await store.documents.replace(documentInput(sourceId, 'delta-2'), [chunk(0, 'Delta hiring loops and calibration')], {
      model,
      vectors: new Map(),
    });
    const stored = await postings();
    expect(stored - before).toBe([...first, chunk(0, 'Delta hiring loops and calibration')].reduce((sum, c) => sum + c.keywords.size, 0));

    // A replacement drops the old version's postings.
    await store.documents.replace(documentInput(sourceId, 'delta-1', { contentHash: 'v2' }), [chunk(0, 'Delta roadmaps')], {
      model,
      vectors: new Map(),
    });
    expect(await orphans()).toBe(0);
    expect(await store.search.keyword(queryTerms('incident blame'), { limit: 5, filters: { sources: ['delta'] } })).toEqual([]);
    // So does a tombstone, and the cascade from deleting a source.
    await store.documents.tombstone(sourceId, 'delta-2');
    expect(await orphans()).toBe(0);
    expect(await store.sources.delete(sourceId)).toBe(true);
    expect(await orphans()).toBe(0);
    expect(await postings()).toBe(before);
  });

  it('keeps conversations with their messages in order', async () => {
    const id = await store.conversations.create('First');
    await store.conversations.addMessage({ conversationId: id, role: 'user', content: 'hello', citations: [], mode: null, model: null });
    const answer = await store.conversations.addMessage({
      conversationId: id,
      role: 'assistant',
      content: 'hi [1]',
      citations: [{ n: 1 }],
      mode: 'extractive',
      model: 'local-hash-v1',
    });
    const conversation = await store.conversations.find(id);
    expect(conversation?.messages.map((message) => message.content)).toEqual(['hello', 'hi [1]']);
    expect(conversation?.messages[1]).toMatchObject({ citations: [{ n: 1 }], mode: 'extractive' });
    expect(await store.conversations.find('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(await store.conversations.find('not-a-uuid')).toBeUndefined();
    expect(await store.conversations.messageRole(answer.id)).toBe('assistant');
    expect(await store.conversations.messageRole(conversation!.messages[0]!.id)).toBe('user');
    expect(await store.conversations.messageRole('00000000-0000-0000-0000-000000000000')).toBeNull();
    // Turns written back to back (same timestamp on a coarse clock) keep their order.
    const burst = await store.conversations.create(null);
    for (let index = 0; index < 20; index += 1) {
      await store.conversations.addMessage({
        conversationId: burst,
        role: index % 2 ? 'assistant' : 'user',
        content: String(index),
        citations: [],
        mode: null,
        model: null,
      });
    }
    expect((await store.conversations.find(burst))?.messages.map((message) => message.content)).toEqual(
      Array.from({ length: 20 }, (_, index) => String(index)),
    );
    const feedback = await store.feedback.add({ messageId: answer.id, rating: -1, comment: 'too vague', rater: 'open' });
    expect(feedback).toMatchObject({ rating: -1, comment: 'too vague' });
  });

  it('keeps one rating of an answer per rater, the latest, however many arrive at once', async () => {
    const {
      answer: { id: answerId },
    } = await store.conversations.addExchange({
      title: 'Rated',
      question: 'q',
      answer: { content: 'a', citations: [], mode: 'extractive', model: 'm' },
    });
    // A client retrying ten times at once, and a second rater.
    const retried = await Promise.all(
      Array.from({ length: 10 }, () => store.feedback.add({ messageId: answerId, rating: 1, comment: 'good', rater: 'key-a' })),
    );
    expect(new Set(retried.map((row) => row.id)).size).toBe(1);
    await store.feedback.add({ messageId: answerId, rating: 1, comment: null, rater: 'key-b' });
    // A change of mind replaces rating and comment, under the same id.
    const changed = await store.feedback.add({ messageId: answerId, rating: -1, comment: 'on reflection, vague', rater: 'key-a' });
    expect(changed).toMatchObject({ id: retried[0]!.id, rating: -1, comment: 'on reflection, vague' });
    const ratings = (await store.feedback.review({ limit: 500 })).filter((row) => row.messageId === answerId);
    expect(ratings.map((row) => [row.rating, row.comment]).sort()).toEqual([
      [-1, 'on reflection, vague'],
      [1, null],
    ]);
  });

  it('stores an exchange whole and next to itself, however many of one conversation end together', async () => {
    const first = await store.conversations.addExchange({
      title: 'Exchanges',
      question: 'q-start',
      answer: { content: 'a-start', citations: [], mode: 'extractive', model: 'm' },
    });
    const id = first.conversationId;
    // Twenty follow-ups of one conversation stored at once, as twenty concurrent asks end.
    const stored = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        store.conversations.addExchange({
          conversationId: id,
          question: `q${index}`,
          answer: { content: `a${index}`, citations: [{ n: index }], mode: 'extractive', model: 'm' },
        }),
      ),
    );
    const messages = (await store.conversations.find(id))!.messages;
    expect(messages).toHaveLength(42);
    messages.forEach((message, index) => {
      expect(message.role).toBe(index % 2 === 0 ? 'user' : 'assistant');
      if (index % 2 === 1) expect(message.content.slice(1)).toBe(messages[index - 1]!.content.slice(1));
    });
    // Each answer's permalink names its own question.
    for (const [index, exchange] of stored.entries()) {
      expect((await store.conversations.findMessage(exchange.answer.id))?.question).toBe(`q${index}`);
    }
    // A failing answer stores nothing: no question without its answer, no empty conversation.
    const conversations = async () =>
      (await store.database.query<{ count: number }>('select count(*)::int as count from conversations'))[0]!.count;
    const before = await conversations();
    const broken = { content: 'x', citations: [], mode: 'bogus' as 'llm', model: null };
    await expect(store.conversations.addExchange({ title: 'never', question: 'q-lost', answer: broken })).rejects.toThrow();
    await expect(store.conversations.addExchange({ conversationId: id, question: 'q-lost', answer: broken })).rejects.toThrow();
    expect(await conversations()).toBe(before);
    expect((await store.conversations.find(id))!.messages).toHaveLength(42);
  });

  it('keeps every change when changes of different fields of one source come at once (probe 33 M3)', async () => {
    const { id } = await store.sources.upsert({ name: 'epsilon', kind: 'web', baseUrl: 'https://epsilon.test/' });
    for (let round = 0; round < 3; round += 1) {
      const changes = [
        { maxPages: 100 + round },
        { crawlDelayMs: 2_000 + round },
        { include: [`^https://epsilon\\.test/r${round}/`] },
        { schedule: `${round} 3 * * *` },
      ];
      await Promise.all(changes.map((change) => store.sources.update(id, change)));
      expect(await store.sources.findById(id)).toMatchObject({
        maxPages: 100 + round,
        crawlDelayMs: 2_000 + round,
        include: [`^https://epsilon\\.test/r${round}/`],
        schedule: `${round} 3 * * *`,
      });
    }
    expect(await store.sources.update('not-a-uuid', { maxPages: 3 })).toBeUndefined();
    expect(await store.sources.update(id, {})).toMatchObject({ maxPages: 102 });
  });

  it('holds the cap on queued runs when requests come at once: counted and recorded under one lock (probe 33 M2)', async () => {
    const before = await store.runs.countQueued();
    const cap = before + 3;
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, () => store.runs.create(sourceB, 'api', { owner: 'queue:test', maxQueued: cap })),
    );
    const created = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const refused = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason as { code?: string }] : []));
    expect(created).toHaveLength(3);
    expect(refused).toHaveLength(9);
    expect(refused.every((error) => error.code === 'ingest_queue_full')).toBe(true);
    expect(await store.runs.countQueued()).toBe(cap);
    for (const attempt of created) if (attempt.status === 'fulfilled') await store.runs.finish(attempt.value.id, 'cancelled', 'test');
  });

  it('adds run counts atomically and keeps the per-URL ledger', async () => {
    const run = await store.runs.create(sourceA, 'cli');
    await store.runs.start(run.id);
    await Promise.all([
      store.runs.addCounts(run.id, { fetched: 1, chunksAdded: 3 }),
      store.runs.addCounts(run.id, { fetched: 1, unchanged: 1 }),
    ]);
    await store.runs.addItems(run.id, [
      { url: 'file:///a.md', httpStatus: null, outcome: 'changed', chunksAdded: 3, chunksRemoved: 0, embeddingTokens: 42, error: null },
    ]);
    // A batch keeps its order in the ledger, after what came before it.
    const batch = Array.from({ length: 30 }, (_, index) => ({
      url: `https://beta.test/${29 - index}`,
      httpStatus: index % 2 ? 304 : 404,
      outcome: index % 2 ? ('unchanged' as const) : ('skipped' as const),
      chunksAdded: 0,
      chunksRemoved: 0,
      embeddingTokens: 0,
      error: index % 2 ? null : 'HTTP 404',
    }));
    await store.runs.addItems(run.id, batch);
    await store.runs.addItems(run.id, []);
    await store.runs.finish(run.id, 'succeeded');
    const found = await store.runs.find(run.id);
    expect(found).toMatchObject({ status: 'succeeded', counts: { fetched: 2, unchanged: 1, chunksAdded: 3, failed: 0 } });
    expect(found?.finishedAt).toBeInstanceOf(Date);
    const items = await store.runs.items(run.id);
    expect(items[0]).toMatchObject({ url: 'file:///a.md', outcome: 'changed', embeddingTokens: 42 });
    expect(items.slice(1).map(({ id: _id, ...item }) => item)).toEqual(batch);
  });
});

describe.each(runtimes)('API keys on $name', (runtime) => {
  it('lets only one of two admins revoking each other at once succeed, so an admin key stays while other keys do', async () => {
    const { store, close } = await runtime.open();
    try {
      for (let round = 0; round < 5; round += 1) {
        const first = await store.apiKeys.create({ name: `a1-${round}`, scopes: ['admin'] });
        const second = await store.apiKeys.create({ name: `a2-${round}`, scopes: ['admin'] });
        const ask = await store.apiKeys.create({ name: `ask-${round}`, scopes: ['ask'] });
        const keepAdmin = { configured: false };
        const outcomes = await Promise.allSettled([
          store.apiKeys.revoke(second.record.id, { keepAdmin }),
          store.apiKeys.revoke(first.record.id, { keepAdmin }),
        ]);
        expect(
          outcomes.filter((outcome) => outcome.status === 'fulfilled'),
          `round ${round}`,
        ).toHaveLength(1);
        const refused = outcomes.find((outcome) => outcome.status === 'rejected');
        expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'no_admin_key' });
        const [active] = await store.database.query<{ count: number }>(
          `select count(*)::int as count from api_keys where revoked_at is null and 'admin' = any(scopes)`,
        );
        expect(active!.count, `round ${round}`).toBe(1);
        await store.database.query('delete from api_keys where id = any($1::uuid[])', [[first.record.id, second.record.id, ask.record.id]]);
      }
    } finally {
      await close();
    }
  }, 60_000);
});
