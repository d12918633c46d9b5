import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryTerms } from '@cairn/text';
import { keywordSearchQuery, type Queryable, type Store } from '../src/index.js';
import { axisVector, runtimes, testChunk, testDocument } from './runtimes.js';

/** A node of a plan as `explain (analyze, format json)` gives it. */
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}

async function planNodes(database: Queryable, statement: { sql: string; params: readonly unknown[] }): Promise<PlanNode[]> {
  const [row] = await database.query<{ 'QUERY PLAN': unknown }>(`explain (analyze, format json) ${statement.sql}`, statement.params);
  const plan = row!['QUERY PLAN'];
  const root = ((typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan: PlanNode }])[0].Plan;
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root);
  return nodes;
}

const words = ['feedback', 'sponsor', 'roadmap', 'incident', 'hiring', 'strategy', 'migration', 'budget', 'review', 'coaching'];

// Migration 0012: the keyword list reads each term's strongest postings from the index alone.
describe.each(runtimes)('keyword postings on $name', (runtime) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await runtime.open());
    await store.embeddings.registerModel('postings-model-v1', 4);
    const { id: sourceId } = await store.sources.upsert({ name: 'postings', kind: 'web', baseUrl: 'https://postings.test/' });
    for (let page = 0; page < 6; page += 1) {
      const chunks = Array.from({ length: 50 }, (_, index) =>
        testChunk(
          index,
          `${words[(page + index) % words.length]} ${words[(index * 3) % words.length]} notes ${page} ${index} of passage ${index}`,
        ),
      );
      await store.documents.replace(testDocument(sourceId, `page-${page}`, 'postings.test'), chunks, {
        model: 'postings-model-v1',
        vectors: new Map(chunks.map((item, index) => [item.contentHash, axisVector(4, { [index % 4]: 1, 3: 0.1 })])),
      });
    }
    await store.documents.refreshStatistics();
    // Server Postgres leaves the visibility map to autovacuum (refreshStatistics analyzes only); do what it does.
    if (store.database.runtime === 'postgres') await store.database.exec('vacuum keyword_postings');
  }, 120_000);

  afterAll(async () => close?.());

  it('reads postings by an index-only scan of the covering index, with no fetch from the table', async () => {
    const terms = queryTerms('feedback for a sponsor on the roadmap');
    const statement = keywordSearchQuery(
      terms,
      terms.map(() => 1),
      { limit: 50 },
    );
    const nodes = await planNodes(store.database, statement);
    const postings = nodes.filter((node) => node['Index Name'] === 'keyword_postings_term_idx');
    expect(postings.length).toBeGreaterThan(0);
    for (const node of postings) {
      expect(node['Node Type']).toBe('Index Only Scan');
      expect(node['Heap Fetches']).toBe(0);
    }
    // And it finds what the terms match.
    const rows = await store.database.query<{ chunkId: string }>(statement.sql, statement.params);
    expect(rows.length).toBe(50);
  });
});
