import type { RunCounts, RunCreateOptions, RunItemInput, RunsRepository, RunStatus, RunTrigger } from '@cairn/store';

/**
 * What one attempt at an ingestion run records about it: the run's status (running,
 * queued again, finished), its per-URL ledger entries and its counts. A crawl writes its
 * record through this object, never through `store.runs` directly, so that whoever
 * started the attempt decides when the attempt's say over the record ends (`abandon`).
 *
 * The record describes one attempt: `start` clears what an earlier attempt of the same
 * run (a crashed or failed worker's) had written, so a retry replaces that record rather
 * than adding to it.
 */
export class RunLedger {
  private abandoned = false;

  constructor(
    private readonly runs: RunsRepository,
    readonly runId: string,
  ) {}

  /** Records a new run (queued) and returns its ledger. */
  static async create(
    runs: RunsRepository,
    sourceId: string | null,
    trigger: RunTrigger,
    options: RunCreateOptions = {},
  ): Promise<RunLedger> {
    const run = await runs.create(sourceId, trigger, options);
    return new RunLedger(runs, run.id);
  }

  /**
   * Marks the run running, with an empty ledger and zero counts (an attempt starts afresh).
   * Resolves false, changing nothing, when an admin cancelled the run: the attempt should not go on.
   */
  async start(): Promise<boolean> {
    return this.runs.start(this.runId);
  }

  /** Appends entries to the run's ledger, in order; dropped once the attempt is abandoned. */
  async addItems(items: readonly RunItemInput[]): Promise<void> {
    if (this.abandoned) return;
    await this.runs.addItems(this.runId, items);
  }

  /** Adds to the run's counts; dropped once the attempt is abandoned. */
  async addCounts(delta: Partial<RunCounts>): Promise<void> {
    if (this.abandoned) return;
    await this.runs.addCounts(this.runId, delta);
  }

  /** Puts the run back to queued, unless an admin cancelled it: another attempt will take it up. */
  async requeue(): Promise<void> {
    await this.runs.requeue(this.runId);
  }

  async finish(status: Exclude<RunStatus, 'queued' | 'running'>, error: string | null = null): Promise<void> {
    await this.runs.finish(this.runId, status, error);
  }

  /**
   * Ends this attempt's say over the ledger and counts (a queue worker calls it when the
   * attempt fails). A failed crawl can leave pages in flight that finish on their own: their
   * pages are stored as usual, but their entries and counts are dropped from here on, so that
   * they do not mix into the record of the next attempt, which starts the ledger afresh. The
   * status still changes: the worker puts the run back in the queue after this.
   */
  abandon(): void {
    this.abandoned = true;
  }
}
