import type { Database, Queryable } from './database.js';

/** The keyword list's index of postings (migration 0012): each term's postings by weight, with their chunk and source. */
export const POSTINGS_TERM_INDEX = 'keyword_postings_term_idx';

const createTermIndex = `create index if not exists ${POSTINGS_TERM_INDEX} on keyword_postings (term, weight desc) include (chunk_id, source_id)`;

/**
 * The share of the postings held at a run's start that the run may write into the term index
 * before PostingsIndexing drops it: past it, building the index again at the run's end costs
 * less than keeping it up. Measured on PGlite (1,000 fixture pages, 328,000 postings): a
 * posting's insert into the index costs about 12 µs (its entry goes at random into an index
 * larger than the buffer pool), the build about 3 µs a posting, sorted.
 */
export const POSTINGS_REBUILD_SHARE = 0.5;

/**
 * Up to how many postings the table may hold at a run's start for the run to drop the term
 * index (about 9,000 passages): without it the keyword list reads the whole table for each
 * query term, and a run cut short by a crash leaves the index to be built as the store next
 * opens (about 1 s for 330,000 postings on PGlite).
 */
export const POSTINGS_DEFER_MAX = 500_000;

/** Builds the term index if it is missing; returns whether it was. */
export async function ensurePostingsTermIndex(database: Queryable): Promise<boolean> {
  const [row] = await database.query<{ missing: boolean }>(`select to_regclass($1) is null as missing`, [POSTINGS_TERM_INDEX]);
  if (!row!.missing) return false;
  await database.exec(createTermIndex);
  return true;
}

interface Decision {
  /** The end of a run (PostingsIndexing.endRun) it was made after. */
  generation: number;
  /** How many more postings may go into the index before it is dropped (Infinity: kept). */
  left: number;
}

/**
 * Whether a run's keyword postings go into the term index, decided for the writes of a run and
 * shared by a Store's writers (DocumentsRepository.replace). On PGlite, once a run has written
 * POSTINGS_REBUILD_SHARE of the postings the table held at its start (a first ingest: after its
 * first pages), the index is dropped, the rest of the run writes its postings into the table
 * alone, and the run's end (DocumentsRepository.refreshStatistics) builds the index over them all
 * in one sorted pass. On a first ingest of 1,000 fixture pages the postings' inserts took about
 * 6 of PGlite's 14 s of statements, most of it the index.
 *
 * Search reads postings without the index meanwhile (the keyword list scans the table: slower,
 * and the same results). Only while the table holds at most `maxPostings` at the run's start;
 * the chunk index, which finds a replaced page's postings, is kept. A run cut short before its
 * end leaves the index to the next run's end, or to the next Store.open.
 *
 * PGlite only, as VectorTargets: its one connection makes a Store's decision the database's.
 * Server Postgres's workers write from many processes; there the index is always kept.
 */
export class PostingsIndexing {
  private decision: Promise<Decision> | undefined;
  /** Whether this process dropped the index for the current run. */
  private dropped = false;
  private generation = 0;

  constructor(
    private readonly database: Database,
    private readonly maxPostings = POSTINGS_DEFER_MAX,
  ) {}

  /** Called before a page writes `count` postings: drops the index once the run is past its share. */
  async beforeWrite(count: number): Promise<void> {
    if (this.database.runtime !== 'pglite' || count === 0 || this.dropped) return;
    let pending = this.decision;
    if (!pending) {
      pending = this.decide();
      this.decision = pending;
      // A decision whose statement failed is made again by the next write.
      pending.catch(() => {
        if (this.decision === pending) this.decision = undefined;
      });
    }
    const decision = await pending;
    decision.left -= count;
    if (decision.left > 0 || this.dropped || decision.generation !== this.generation) return;
    // Set before the statement: the pages in flight meanwhile write without waiting for it.
    this.dropped = true;
    await this.database.exec(`drop index if exists ${POSTINGS_TERM_INDEX}`);
  }

  /**
   * Ends the run's decisions and builds the term index if it is missing (dropped by this run,
   * or left so by a run cut short); returns whether it was built. The next write decides afresh.
   */
  async endRun(): Promise<boolean> {
    this.generation += 1;
    this.decision = undefined;
    this.dropped = false;
    return ensurePostingsTermIndex(this.database);
  }

  private async decide(): Promise<Decision> {
    const generation = this.generation;
    // Counted up to the limit: the whole table need not be read to know it is past it.
    const [row] = await this.database.query<{ postings: number; missing: boolean }>(
      `select (select count(*)::int from (select 1 from keyword_postings limit $1) held) as postings,
              to_regclass($2) is null as missing`,
      [this.maxPostings + 1, POSTINGS_TERM_INDEX],
    );
    const { postings, missing } = row!;
    // No index (a run cut short): nothing to keep up until the run's end builds it.
    if (missing && generation === this.generation) this.dropped = true;
    return { generation, left: postings > this.maxPostings ? Infinity : postings * POSTINGS_REBUILD_SHARE };
  }
}
