import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/index.js';
import { axisVector, runtimes, testChunk, testDocument } from './runtimes.js';

// A search's passages come as JSON (passagesQuery): their dates must come back as the dates
// stored, whatever the session's time zone. Postgres writes a timestamp's JSON text in that
// zone, with an offset in seconds before 1900 (local mean time), which Date cannot read.
describe.each(runtimes)('passage dates on $name, in a session at America/New_York', (runtime) => {
  let store: Store;
  let close: () => Promise<void>;
  const published = [new Date('1850-01-01T00:00:00Z'), new Date('1883-11-18T16:59:59.123Z'), new Date('2024-05-01T12:34:56.789Z')];

  beforeAll(async () => {
    ({ store, close } = await runtime.open({ timeZone: 'America/New_York' }));
    await store.embeddings.registerModel('dates-model-v1', 4);
    const { id: sourceId } = await store.sources.upsert({ name: 'dates', kind: 'web', baseUrl: 'https://dates.test/' });
    for (const [index, publishedAt] of published.entries()) {
      const chunk = testChunk(0, `a passage published on ${publishedAt.toISOString()}`);
      await store.documents.replace({ ...testDocument(sourceId, `page-${index}`, 'dates.test'), publishedAt }, [chunk], {
        model: 'dates-model-v1',
        vectors: new Map([[chunk.contentHash, axisVector(4, { [index]: 1 })]]),
      });
    }
  }, 60_000);

  afterAll(async () => close?.());

  it('returns each passage with the dates it was stored with', async () => {
    const rows = await store.database.query<{ id: string; url: string }>(
      'select c.id, d.url from chunks c join documents d on d.id = c.document_id order by d.url',
    );
    expect(rows).toHaveLength(published.length);
    const passages = await store.search.passages(rows.map((row) => row.id));
    expect(passages.map((passage) => passage.url)).toEqual(rows.map((row) => row.url));
    expect(passages.map((passage) => passage.publishedAt?.toISOString())).toEqual(published.map((date) => date.toISOString()));
    for (const passage of passages) {
      expect(passage.fetchedAt).toBeInstanceOf(Date);
      expect(Number.isNaN(passage.fetchedAt!.getTime())).toBe(false);
    }
  });
});
