import { describe, expect, it } from 'vitest';
import type { RunCounts, RunItemInput } from '@cairn/store';
import type { RunLedger } from '../runs/run-ledger.js';
import type { PageOutcome } from './crawl-page.js';
import { SourceTally, tallyWriteIntervalMs } from './source-tally.js';

/** A ledger that keeps what the tally writes, as the run record would. */
function recordingLedger() {
  const writes: { items: number; counts: Partial<RunCounts> }[] = [];
  let items = 0;
  const ledger = {
    runId: 'run-1',
    addItems: async (entries: readonly RunItemInput[]) => {
      items = entries.length;
    },
    addCounts: async (delta: Partial<RunCounts>) => {
      writes.push({ items, counts: delta });
    },
  } as unknown as RunLedger;
  return { ledger, writes };
}

const page = (n: number): RunItemInput => ({
  url: `https://example.com/${n}`,
  httpStatus: 200,
  outcome: 'changed',
  chunksAdded: 2,
  chunksRemoved: 0,
  embeddingTokens: 10,
  error: null,
});

const fetchedPage = (n: number): PageOutcome => ({
  item: page(n),
  fetched: true,
  unchanged: false,
  seen: page(n).url,
  links: [],
  failure: null,
  refused: false,
});

describe('SourceTally', () => {
  it('writes every 20 URLs when they come fast, and within 2 s when they come slowly (a polite crawl)', async () => {
    let clock = 0;
    const { ledger, writes } = recordingLedger();
    const tally = new SourceTally(ledger, { discovered: () => 100, states: { flush: async () => undefined }, now: () => clock });
    // Fast: 25 URLs in no time, one write at the 20th.
    for (let n = 0; n < 25; n += 1) await tally.recordPage(fetchedPage(n));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ items: 20, counts: { fetched: 20, chunksAdded: 40, discovered: 100 } });
    // Slow: a URL a second, as a crawl delay of 1 s gives; written once 2 s have passed, not at the 40th URL.
    clock += 1000;
    await tally.recordPage(fetchedPage(25));
    expect(writes).toHaveLength(1);
    clock += tallyWriteIntervalMs;
    await tally.recordPage(fetchedPage(26));
    expect(writes).toHaveLength(2);
    expect(writes[1]).toMatchObject({ items: 7, counts: { fetched: 7, chunksAdded: 14 } });
  });
});
