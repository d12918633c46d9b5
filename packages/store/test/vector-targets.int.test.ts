import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hnswIndexName, REBUILD_SHARE, Store } from '../src/index.js';
import { axisVector, runtimes, testChunk, testDocument } from './runtimes.js';

const dimensions = 8;
const model = 'targets-model-v1';

describe.each(runtimes)("where a run's vectors go on $name", (runtime) => {
  let store: Store;
  let close: () => Promise<void>;
  let sourceId: string;

  /** A page of `count` passages, passage i near axis (first + i) % dimensions. */
  const storePage = (locator: string, count: number, first: number) => {
    const chunks = Array.from({ length: count }, (_, index) => testChunk(index, `${locator} passage ${index}`));
    const vectors = new Map(
      chunks.map((chunk, index) => [
        chunk.contentHash,
        axisVector(dimensions, { [(first + index) % dimensions]: 1, [(first + index + 1) % dimensions]: 0.01 * (index + 1) }),
      ]),
    );
    return store.documents.replace(testDocument(sourceId, locator, 'targets.test'), chunks, { model, vectors });
  };
  const tables = async () =>
    (
      await store.database.query<{ indexed: number; waiting: number; index: boolean }>(
        `select (select count(*)::int from embeddings where model = $1) as indexed,
                (select count(*)::int from unindexed_embeddings where model = $1) as waiting,
                to_regclass($2) is not null as index`,
        [model, hnswIndexName(model)],
      )
    )[0]!;
  const nearest = async (axis: number) =>
    (await store.search.dense({ id: model, dimensions }, axisVector(dimensions, { [axis]: 1 }), { limit: 3 })).map((hit) => hit.text);

  beforeAll(async () => {
    ({ store, close } = await runtime.open());
    sourceId = (await store.sources.upsert({ name: 'targets', kind: 'web', baseUrl: 'https://targets.test/' })).id;
    await store.embeddings.registerModel(model, dimensions);
  }, 60_000);

  afterAll(async () => close?.());

  it('keeps a run under REBUILD_SHARE out of the index; past it, PGlite drops the index and writes the rest into embeddings', async () => {
    expect(REBUILD_SHARE).toBe(0.2);
    // A first run: 20 vectors, indexed at its end.
    await storePage('first', 20, 0);
    expect(await store.embeddings.indexPending()).toEqual([{ model, vectors: 20, rebuilt: true }]);
    expect(await tables()).toEqual({ indexed: 20, waiting: 0, index: true });

    // The next run: 3 vectors against 20 indexed (under a fifth) wait in the unindexed table, the index kept.
    await store.embeddings.registerModel(model, dimensions);
    await storePage('second', 3, 3);
    expect(await tables()).toEqual({ indexed: 20, waiting: 3, index: true });
    // 5 more take the run past a fifth: the index will be rebuilt at its end anyway.
    await storePage('third', 5, 5);
    const pglite = runtime.name === 'pglite';
    expect(await tables()).toEqual(pglite ? { indexed: 28, waiting: 0, index: false } : { indexed: 20, waiting: 8, index: true });
    // Another run starting meanwhile does not build the index back under the first.
    await store.embeddings.registerModel(model, dimensions);
    expect((await tables()).index).toBe(!pglite);
    await storePage('fourth', 2, 7);
    expect(await tables()).toEqual(pglite ? { indexed: 30, waiting: 0, index: false } : { indexed: 20, waiting: 10, index: true });
    expect(await store.embeddings.countUnindexed()).toEqual(new Map([[model, pglite ? 30 : 10]]));

    // Search finds every vector, in the index or not, exactly ranked, before the run's end and after.
    const before = await nearest(5);
    expect(before[0]).toBe('third passage 0');
    expect(await store.embeddings.indexPending()).toEqual([{ model, vectors: pglite ? 30 : 10, rebuilt: true }]);
    expect(await tables()).toEqual({ indexed: 30, waiting: 0, index: true });
    expect(await nearest(5)).toEqual(before);
    expect(await store.embeddings.indexPending()).toEqual([]);

    // A run after that starts afresh: 2 vectors against 30 stay out of the index, then go into it one by one.
    await storePage('fifth', 2, 1);
    expect(await tables()).toEqual({ indexed: 30, waiting: 2, index: true });
    expect(await store.embeddings.indexPending()).toEqual([{ model, vectors: 2, rebuilt: false }]);
  });

  it('on PGlite, builds the index of a model that has vectors but none (a build cut short) at the next end of a run', async () => {
    await store.database.exec(`drop index ${hnswIndexName(model)}`);
    const pglite = runtime.name === 'pglite';
    // Server Postgres leaves it to the model's next registration (another worker may be rebuilding it).
    expect(await store.embeddings.countUnindexed()).toEqual(pglite ? new Map([[model, 32]]) : new Map());
    expect(await store.embeddings.indexPending()).toEqual(pglite ? [{ model, vectors: 32, rebuilt: true }] : []);
    if (!pglite) await store.embeddings.registerModel(model, dimensions);
    expect(await tables()).toEqual({ indexed: 32, waiting: 0, index: true });
  });

  it("does not take a model without its index for one to write straight into while a run's end is building it", async () => {
    // As a run that wrote straight into `embeddings` leaves it for its end: 32 vectors, no index.
    await store.database.exec(`drop index ${hnswIndexName(model)}`);
    // That end, and a page of the next run arriving before the build begins (its decision reads first).
    const ending = store.embeddings.indexPending();
    await storePage('during-end', 1, 2);
    expect(await ending).toEqual(runtime.name === 'pglite' ? [{ model, vectors: 32, rebuilt: true }] : []);
    if (runtime.name !== 'pglite') await store.embeddings.registerModel(model, dimensions);
    // One vector against 32: it waits outside the index, which it would otherwise have been inserted into alone.
    expect(await tables()).toEqual({ indexed: 32, waiting: 1, index: true });
    expect(await store.embeddings.indexPending()).toEqual([{ model, vectors: 1, rebuilt: false }]);
  });

  it('keeps the index of a corpus that search ranks through it (past exactDenseMaxPassages), however large the run', async () => {
    // The same store with search's exact ranking up to 25 passages: the 33 indexed are past it.
    const limited = new Store(store.database, { exactDenseMaxPassages: 25 });
    const chunks = Array.from({ length: 12 }, (_, index) => testChunk(index, `large run passage ${index}`));
    const vectors = new Map(chunks.map((chunk, index) => [chunk.contentHash, axisVector(dimensions, { [index % dimensions]: 1, 0: 0.5 })]));
    await limited.documents.replace(testDocument(sourceId, 'large-run', 'targets.test'), chunks, { model, vectors });
    // 12 against 33 is well past a fifth, and yet they wait in the unindexed table, the index kept.
    expect(await tables()).toEqual({ indexed: 33, waiting: 12, index: true });
    expect(await limited.embeddings.indexPending()).toEqual([{ model, vectors: 12, rebuilt: true }]);
    expect(await tables()).toEqual({ indexed: 45, waiting: 0, index: true });
  });
});
