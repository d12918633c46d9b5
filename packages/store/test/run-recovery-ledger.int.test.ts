import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/index.js';
import { axisVector, runtimes, testChunk, testDocument } from './runtimes.js';

const model = 'recovery-ledger-v1';

/**
 * Probe 33, L2: the ledger is written in batches, so a process killed mid-run (kill -9) stored pages whose entries it
 * had not yet written. The process that fails the run puts them back, before the entry that says why it ended.
 */
describe.each(runtimes)('the ledger of a run a dead process left, on $name', (runtime) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await runtime.open());
    await store.embeddings.registerModel(model, 4);
  }, 60_000);
  afterAll(async () => close?.());

  const storePage = async (sourceId: string, locator: string) => {
    const chunks = [testChunk(0, `a page about incident reviews ${locator}`)];
    await store.documents.replace(testDocument(sourceId, locator, 'recovery.test'), chunks, {
      model,
      vectors: new Map(chunks.map((chunk) => [chunk.contentHash, axisVector(4, { 0: 1 })])),
    });
  };

  it('gets back the entries of the pages it stored before it stopped, and none of another source or of before it', async () => {
    const source = await store.sources.upsert({ name: 'recovered', kind: 'web', baseUrl: 'https://recovery.test/' });
    const other = await store.sources.upsert({ name: 'other-source', kind: 'web', baseUrl: 'https://other.test/' });
    await storePage(source.id, 'before-the-run');
    const run = await store.runs.create(source.id, 'api', { owner: 'dead-process' });
    expect(await store.runs.start(run.id)).toBe(true);
    // Entries written for two pages; two more pages stored whose entries died with the process; another source's page.
    await storePage(source.id, 'a');
    await storePage(source.id, 'b');
    await store.runs.addItems(run.id, [
      {
        url: 'https://recovery.test/a',
        httpStatus: 200,
        outcome: 'changed',
        chunksAdded: 1,
        chunksRemoved: 0,
        embeddingTokens: 0,
        error: null,
      },
      { url: 'b', httpStatus: 200, outcome: 'changed', chunksAdded: 1, chunksRemoved: 0, embeddingTokens: 0, error: null },
    ]);
    await storePage(source.id, 'c');
    await storePage(source.id, 'd');
    await store.documents.tombstone(source.id, 'd');
    await storePage(other.id, 'elsewhere');

    const { failed } = await store.runs.recoverOrphans('the-next-process', { exclusive: true, error: 'interrupted: the process stopped' });
    expect(failed).toEqual([run.id]);
    const items = await store.runs.items(run.id);
    expect(items.map((item) => [item.url, item.outcome])).toEqual([
      ['https://recovery.test/a', 'changed'],
      ['b', 'changed'],
      ['c', 'changed'],
      ['d', 'tombstoned'],
      ['https://recovery.test/', 'failed'],
    ]);
    expect(items[2]!.error).toMatch(/lost with it/);
    expect(await store.runs.find(run.id)).toMatchObject({ status: 'failed', error: 'interrupted: the process stopped' });
    // A second recovery finds nothing left to fail, and adds nothing.
    expect((await store.runs.recoverOrphans('a-third-process', { exclusive: true, error: 'again' })).failed).toEqual([]);
    expect(await store.runs.items(run.id)).toHaveLength(5);
  });
});
