import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, PgliteDatabase, replaceDocument, runProcedure, Store, type Database, type TransactionProcedure } from '../src/index.js';
import { runtimes, testChunk, testDocument } from './runtimes.js';

/**
 * A procedure (TransactionProcedure) runs in one transaction wherever the database runs it:
 * PGlite in its own thread runs it there in one exchange, PGlite in the calling thread and
 * server Postgres in a `transaction`. Either way it commits whole or not at all, and its
 * error keeps the fields callers read.
 */
const databases: { name: string; threaded: boolean | undefined; open(): Promise<{ store: Store; close(): Promise<void> }> }[] = [
  ...runtimes.map((runtime) => ({
    name: runtime.name,
    threaded: runtime.name === 'pglite' ? true : undefined,
    open: () => runtime.open(),
  })),
  {
    name: 'pglite in the calling thread',
    threaded: false,
    async open() {
      const database = await PgliteDatabase.open(undefined, { thread: false });
      await migrate(database);
      return { store: new Store(database), close: () => database.close() };
    },
  },
];

describe.each(databases)('procedures ($name)', ({ open, threaded }) => {
  let store: Store;
  let database: Database;
  let close: () => Promise<void>;
  let sourceId: string;
  beforeAll(async () => {
    ({ store, close } = await open());
    database = store.database;
    ({ id: sourceId } = await store.sources.upsert({ name: 'procedures', kind: 'web', baseUrl: 'https://procedures.test/' }));
    await store.embeddings.registerModel('procedure-model', 3, 'vector');
  });
  afterAll(() => close());

  it('runs where the database runs: in its thread for PGlite in one', () => {
    if (threaded !== undefined) expect((database as PgliteDatabase).threaded).toBe(threaded);
    expect(typeof database.procedure === 'function').toBe(database.runtime === 'pglite');
  });

  it("commits a document's replacement whole: the document, its chunks, postings and vectors", async () => {
    const chunks = [testChunk(0, 'first passage about delegation'), testChunk(1, 'second passage about pairing')];
    const vectors = new Map(chunks.map((chunk, index) => [chunk.contentHash, [1, index, 0]]));
    const result = await runProcedure(database, replaceDocument, {
      document: testDocument(sourceId, 'whole', 'procedures.test'),
      chunks,
      vectors: { model: 'procedure-model', vectors },
      indexing: 'deferred',
      runtime: database.runtime,
      meaningDimensions: null,
    });
    expect(result).toMatchObject({ chunksAdded: 2, chunksRemoved: 0 });
    const [counts] = await database.query<{ chunks: number; postings: number; vectors: number }>(
      `select (select count(*)::int from chunks where document_id = $1) as chunks,
              (select count(*)::int from keyword_postings p join chunks c on c.id = p.chunk_id where c.document_id = $1) as postings,
              (select count(*)::int from unindexed_embeddings where model = 'procedure-model') as vectors`,
      [result.documentId],
    );
    expect(counts).toEqual({ chunks: 2, postings: expect.any(Number), vectors: 2 });
    expect(counts!.postings).toBeGreaterThan(4);
  });

  it('rolls the whole replacement back when a later statement fails, and keeps the error fields', async () => {
    const chunks = [testChunk(0, 'a passage whose vector names no model')];
    const error = await store.documents
      .replace(testDocument(sourceId, 'half', 'procedures.test'), chunks, {
        model: 'no-such-model',
        vectors: new Map([[chunks[0]!.contentHash, [1, 0, 0]]]),
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23503' });
    const [left] = await database.query<{ documents: number; chunks: number }>(
      `select (select count(*)::int from documents where locator = 'half') as documents,
              (select count(*)::int from chunks where text = $1) as chunks`,
      [chunks[0]!.text],
    );
    expect(left).toEqual({ documents: 0, chunks: 0 });
  });

  it('refuses a procedure that the database does not know, changing nothing', async () => {
    const unknown: TransactionProcedure<null, number> = {
      name: 'notRegistered',
      async run(transaction) {
        await transaction.query(`insert into sources (name, kind, base_url) values ('rogue', 'web', 'https://rogue.test/')`);
        return 1;
      },
    };
    const outcome = runProcedure(database, unknown, null);
    if (threaded) {
      await expect(outcome).rejects.toThrow(/no procedure "notRegistered"/);
      // A name that an object has of itself is no procedure either.
      await expect(runProcedure(database, { ...unknown, name: 'toString' }, null)).rejects.toThrow(/no procedure "toString"/);
    } else await expect(outcome).resolves.toBe(1); // in process, the procedure is at hand
    const [rogue] = await database.query<{ count: number }>(`select count(*)::int as count from sources where name = 'rogue'`);
    expect(rogue!.count).toBe(threaded ? 0 : 1);
  });

  it('fails a statement whose parameters cannot cross to the thread, and goes on serving', async () => {
    const uncloneable = () => 1;
    const outcome = database.query('select $1::text as value', [uncloneable]);
    // In process a function goes as its text, as any value without a serializer does.
    if (threaded) await expect(outcome).rejects.toThrow(/could not be cloned/);
    else await expect(outcome).resolves.toEqual([{ value: String(uncloneable) }]);
    const [row] = await database.query<{ value: number }>('select 1 as value');
    expect(row).toEqual({ value: 1 });
  });
});
