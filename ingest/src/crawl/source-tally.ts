import type { RunCounts, RunItemInput } from '@cairn/store';
import type { RunLedger } from '../runs/run-ledger.js';
import type { PageOutcome } from './crawl-page.js';

/** What a crawl reports as each URL is recorded. */
export interface CrawlProgress {
  runId: string;
  url: string;
  outcome: RunItemInput['outcome'];
  /** URLs recorded so far in this source's crawl. */
  done: number;
  discovered: number;
}

/** URLs recorded between two writes to the run's record, at most. */
const batchSize = 20;
/**
 * Time between two writes, at most, while URLs are recorded: a polite crawl (a second
 * between requests to a host) would otherwise show no progress for its first 20 s.
 */
export const tallyWriteIntervalMs = 2000;

function zeroCounts(): RunCounts {
  return { discovered: 0, fetched: 0, unchanged: 0, skipped: 0, failed: 0, chunksAdded: 0, chunksRemoved: 0 };
}

/**
 * What a crawl of one source has counted and recorded, and its way into the run's ledger.
 * Progress reaches the run record as it happens, but in batches: every 20 URLs, or
 * with the first URL recorded 2 s after the last write, the ledger entries, the count
 * deltas and the pages seen unchanged are written, one statement each, not one a URL.
 */
export class SourceTally {
  /** This source's counts so far, written or not. */
  readonly counts: RunCounts = zeroCounts();
  /** The counts as last written to the run (what the next write adds to). */
  private readonly written: RunCounts = zeroCounts();
  private readonly unwritten: RunItemInput[] = [];
  private done = 0;
  /** URLs that robots.txt or the address guard refused, and the first refusal's message. */
  private refusedCount = 0;
  private firstRefusal: string | undefined;
  /** When the record was last written (or the tally began). */
  private writtenAt: number;

  constructor(
    private readonly ledger: RunLedger,
    private readonly options: {
      /** How many URLs the crawl knows now (the `discovered` count). */
      discovered: () => number;
      /** Writes the pages seen unchanged since the last batch (BatchedStates), in each batch. */
      states: { flush(): Promise<void> };
      onProgress?: ((progress: CrawlProgress) => void) | undefined;
      /** The clock (milliseconds), for tests. */
      now?: (() => number) | undefined;
    },
  ) {
    this.writtenAt = this.now();
  }

  private now(): number {
    return this.options.now?.() ?? performance.now();
  }

  /** Counts what the fetch of a page found, then records its ledger entry. */
  async recordPage(page: PageOutcome): Promise<void> {
    if (page.fetched) this.counts.fetched += 1;
    if (page.unchanged) this.counts.unchanged += 1;
    await this.record(page.item, { refused: page.refused });
  }

  /**
   * When every URL recorded so far (one at least) was refused by robots.txt or the address
   * guard, so that nothing was fetched: the first refusal's message. Undefined otherwise.
   */
  get refusedEverywhere(): string | undefined {
    return this.refusedCount > 0 && this.refusedCount === this.done ? this.firstRefusal : undefined;
  }

  /**
   * Counts one URL's ledger entry, to be written with the next batch (which it may
   * complete); `refused` when robots.txt or the address guard refused the URL.
   */
  async record(item: RunItemInput, options: { refused?: boolean } = {}): Promise<void> {
    if (options.refused) {
      this.refusedCount += 1;
      this.firstRefusal ??= item.error ?? `${item.url} refused`;
    }
    if (item.outcome === 'skipped') this.counts.skipped += 1;
    if (item.outcome === 'failed') this.counts.failed += 1;
    this.counts.chunksAdded += item.chunksAdded;
    this.counts.chunksRemoved += item.chunksRemoved;
    this.unwritten.push(item);
    this.done += 1;
    if (this.done % batchSize === 0 || this.now() - this.writtenAt >= tallyWriteIntervalMs) await this.flush();
    this.options.onProgress?.({
      runId: this.ledger.runId,
      url: item.url,
      outcome: item.outcome,
      done: this.done,
      discovered: this.options.discovered(),
    });
  }

  /** Writes what is not written yet: the entries, the pages seen unchanged, then the count deltas. */
  async flush(): Promise<void> {
    this.writtenAt = this.now();
    this.counts.discovered = this.options.discovered();
    // Snapshot before writing: pages in flight go on counting while the write awaits.
    const snapshot = { ...this.counts };
    const items = this.unwritten.splice(0);
    try {
      await this.ledger.addItems(items);
    } catch (error) {
      this.unwritten.unshift(...items); // for the next flush to try again
      throw error;
    }
    await this.options.states.flush();
    const delta = Object.fromEntries(
      Object.entries(snapshot).map(([key, value]) => [key, value - this.written[key as keyof RunCounts]]),
    ) as Partial<RunCounts>;
    if (Object.values(delta).every((value) => value === 0)) return;
    Object.assign(this.written, snapshot);
    await this.ledger.addCounts(delta);
  }
}
