import type { Database, Queryable } from './database.js';

/** The keyword list's index of postings (migrations 0012, 0013 and 0015): each term's postings by weight, then by chunk, with their source and page. */
export const POSTINGS_TERM_INDEX = 'keyword_postings_term_idx';

const createTermIndex = `create index if not exists ${POSTINGS_TERM_INDEX} on keyword_postings (term, weight desc, chunk_id) include (source_id, document_id)`;

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
 * index (about 9,000 passages), and half of what it may hold before the run builds it again:
 * without it the keyword list reads the whole table for each query term, and a run cut short
 * by a crash leaves the index to be built as the store next opens (about 1 s for 330,000
 * postings on PGlite). A migration that touches the index must allow for it missing.
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
  /** The postings the table held when the run's first page came (counted up to just past maxPostings). */
  held: number;
  /** The postings the run's pages have written since. */
  written: number;
}

/**
 * Whether a run's keyword postings go into the term index, decided for the writes of a run and
 * shared by a Store's writers (DocumentsRepository.replace). On PGlite, once a run has written
 * POSTINGS_REBUILD_SHARE of the postings the table held at its start (a first ingest: after its
 * first pages), the index is dropped, the rest of the run writes its postings into the table
 * alone, and the run's end (DocumentsRepository.endRun, and refreshStatistics) builds the index
 * over them all in one sorted pass. On a first ingest of 1,000 fixture pages the postings'
 * inserts took about 6 of PGlite's 14 s of statements, most of it the index.
 *
 * Search reads postings without the index meanwhile (the keyword list scans the table: slower,
 * and the same results). Only while the table holds at most `maxPostings` at the run's start,
 * and until it holds twice that: then the index is built again in the run's middle and kept
 * up for the rest of it, so that a long first ingest's searches, and the build after a crash,
 * stay bounded. The chunk index, which finds a replaced page's postings, is kept. A run cut
 * short without its end leaves the index to the next run's end, or to the next Store.open.
 *
 * PGlite only, as VectorTargets: its one connection makes a Store's decision the database's.
 * Server Postgres's workers write from many processes; there the index is always kept.
 */
export class PostingsIndexing {
  private decision: Promise<Decision> | undefined;
  /** Whether the index is out for the current run (dropped by it, or missing at its start). */
  private dropped = false;
  /** Whether the index was built again in the current run's middle: kept up until its end. */
  private kept = false;
  private generation = 0;

  constructor(
    private readonly database: Database,
    private readonly maxPostings = POSTINGS_DEFER_MAX,
  ) {}

  /** Called before a page writes `count` postings: drops the index once the run is past its share, builds it past twice maxPostings. */
  async beforeWrite(count: number): Promise<void> {
    if (this.database.runtime !== 'pglite' || count === 0 || this.kept) return;
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
    decision.written += count;
    if (decision.generation !== this.generation || this.kept) return;
    if (this.dropped) {
      if (decision.held + decision.written <= 2 * this.maxPostings) return;
      // Flags first: the pages in flight meanwhile write without waiting for the build.
      this.kept = true;
      this.dropped = false;
      await ensurePostingsTermIndex(this.database);
      return;
    }
    if (decision.held > this.maxPostings || decision.written < decision.held * POSTINGS_REBUILD_SHARE) return;
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
    this.kept = false;
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
    // No index (a run cut short): nothing to keep up until the run's end builds it, or the table outgrows the bound.
    if (missing && generation === this.generation) this.dropped = true;
    return { generation, held: postings, written: 0 };
  }
}
