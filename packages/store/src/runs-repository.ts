import { CairnError } from '@cairn/core';
import type { Database } from './database.js';
import { isUuid } from './is-uuid.js';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type RunTrigger = 'cli' | 'api' | 'schedule' | 'startup';

export interface RunCounts {
  discovered: number;
  fetched: number;
  unchanged: number;
  skipped: number;
  failed: number;
  chunksAdded: number;
  chunksRemoved: number;
}

export interface RunRecord {
  id: string;
  sourceId: string | null;
  trigger: RunTrigger;
  status: RunStatus;
  counts: RunCounts;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface RunItemInput {
  url: string;
  httpStatus: number | null;
  outcome: 'changed' | 'unchanged' | 'skipped' | 'failed' | 'tombstoned';
  chunksAdded: number;
  chunksRemoved: number;
  embeddingTokens: number;
  error: string | null;
}

const runColumns = `id, source_id as "sourceId", trigger, status, counts, error, created_at as "createdAt",
  started_at as "startedAt", finished_at as "finishedAt"`;

/**
 * How long a run's owner may go without a heartbeat before its runs count as orphaned: the
 * process that owned them stopped (a crash, kill -9). Owners beat every few seconds
 * (InProcessRunner), so a live one is never this late.
 */
export const runStaleAfterMs = 30_000;

/** Who will execute a new run, and what it is for when it is not a crawl. */
export interface RunCreateOptions {
  /**
   * The process (an in-process runner) that will execute the run; it keeps the run's
   * heartbeat fresh. None for runs of the BullMQ queue and of `cairn ingest`.
   */
  owner?: string | undefined;
  /** The one page of a one-page run. */
  pageUrl?: string | undefined;
  /**
   * Refuse the run (`ingest_queue_full`) when this many runs are waiting already: counted and
   * recorded under one lock, so that requests at once cannot all pass a count taken before
   * any of them was recorded (probe 33 M2: 30 of 30 passed a cap of 3).
   */
  maxQueued?: number | undefined;
}

/** The runs waiting to start that count against the cap: queued, and not orphans of a process that stopped. */
const queuedRunsWhere = `status = 'queued' and (owner is null or owner like 'queue:%' or heartbeat_at >= now() - $1::int * interval '1 millisecond')`;

/** A run left queued by a process that stopped, now owned by the runner that took it up. */
export interface AdoptedRun {
  id: string;
  sourceId: string | null;
  trigger: RunTrigger;
  pageUrl: string | null;
}

/**
 * The owner of a run handed to the BullMQ queue of `prefix` (CAIRN_QUEUE_PREFIX): its job, not
 * a process's heartbeat, says it is alive (an ingest worker of that queue checks,
 * RunsRepository.unfinishedInQueue). Runs of the queue made before this marker, and runs of
 * `cairn ingest` in its own process, have no owner.
 */
export function queueOwner(prefix: string): string {
  return `queue:${prefix}`;
}

/** A queued or running run whose owner is another process: any (`exclusive`), or one without a fresh heartbeat. */
const orphanedBy = (status: 'queued' | 'running') => `status = '${status}' and owner is distinct from $1
  and coalesce(owner, '') not like 'queue:%'
  and ($2::boolean or (owner is not null and (heartbeat_at is null or heartbeat_at < now() - $3::int * interval '1 millisecond')))`;

export class RunsRepository {
  constructor(private readonly database: Database) {}

  async create(sourceId: string | null, trigger: RunTrigger, options: RunCreateOptions = {}): Promise<RunRecord> {
    const insert = `insert into ingest_runs (source_id, trigger, owner, heartbeat_at, page_url)
       values ($1, $2, $3, case when $3::text is null then null else now() end, $4) returning ${runColumns}`;
    const values = [sourceId, trigger, options.owner ?? null, options.pageUrl ?? null];
    const { maxQueued } = options;
    if (maxQueued === undefined) {
      const [row] = await this.database.query<RunRecord>(insert, values);
      return row!;
    }
    return this.database.transaction(async (transaction) => {
      await transaction.query(`select pg_advisory_xact_lock(hashtext('cairn-queued-runs'))`);
      const [counted] = await transaction.query<{ count: number }>(
        `select count(*)::int as count from ingest_runs where ${queuedRunsWhere}`,
        [runStaleAfterMs],
      );
      if (counted!.count >= maxQueued)
        throw new CairnError(
          'ingest_queue_full',
          `${counted!.count} ingestion runs are waiting already (INGEST_MAX_QUEUED_RUNS=${maxQueued}); retry when some have started.`,
        );
      const [row] = await transaction.query<RunRecord>(insert, values);
      return row!;
    });
  }

  /** Whether a run of the source has succeeded: a schedule re-ingests only a source crawled once on purpose. */
  async hasSucceeded(sourceId: string): Promise<boolean> {
    const rows = await this.database.query(`select 1 from ingest_runs where source_id = $1 and status = 'succeeded' limit 1`, [sourceId]);
    return rows.length > 0;
  }

  /**
   * Records a scheduled run of a source whose schedule fired at `firedAt`, unless one was
   * recorded since (by another process on the same database: each checks the schedules),
   * or a run of the source is still queued or running (an hourly schedule of a polite crawl
   * that takes longer than an hour queued one more run at each firing, past the cap on
   * queued runs); one at a time per source. Resolves with the run, or undefined when there was one.
   */
  async createScheduled(sourceId: string, firedAt: Date, owner: string): Promise<RunRecord | undefined> {
    return this.database.transaction(async (transaction) => {
      await transaction.query(`select pg_advisory_xact_lock(hashtext('cairn-schedule:' || $1::text))`, [sourceId]);
      const [row] = await transaction.query<RunRecord>(
        `insert into ingest_runs (source_id, trigger, owner, heartbeat_at)
         select $1, 'schedule', $2, now()
         where not exists (select 1 from ingest_runs where source_id = $1 and trigger = 'schedule' and created_at >= $3)
           and not exists (select 1 from ingest_runs where source_id = $1 and status in ('queued', 'running'))
         returning ${runColumns}`,
        [sourceId, owner, firedAt],
      );
      return row;
    });
  }

  /**
   * Marks a run running. An attempt starts from nothing: the counts and ledger of an
   * interrupted earlier attempt (a crashed worker) are cleared, so the record describes
   * one complete pass and nothing is counted twice. Resolves false, changing nothing, for
   * a run an admin cancelled: no attempt starts it again.
   */
  async start(id: string): Promise<boolean> {
    return this.database.transaction(async (transaction) => {
      const started = await transaction.query(
        `update ingest_runs set status = 'running', started_at = coalesce(started_at, now()), finished_at = null, error = null,
           counts = '{"discovered":0,"fetched":0,"unchanged":0,"skipped":0,"failed":0,"chunksAdded":0,"chunksRemoved":0}'
         where id = $1 and cancel_requested_at is null returning id`,
        [id],
      );
      if (started.length === 0) return false;
      await transaction.query('delete from ingest_run_items where run_id = $1', [id]);
      return true;
    });
  }

  /** Adds to the run's counts (atomically, so concurrent workers do not overwrite each other). */
  async addCounts(id: string, delta: Partial<RunCounts>): Promise<void> {
    await this.database.query(
      `update ingest_runs set counts = (
         select jsonb_object_agg(key, coalesce((counts ->> key)::int, 0) + coalesce((($2::jsonb) ->> key)::int, 0))
         from jsonb_object_keys(counts || $2::jsonb) as key
       ) where id = $1`,
      [id, JSON.stringify(delta)],
    );
  }

  /** Puts an interrupted run back to queued (its job will be taken up again), unless an admin cancelled it. */
  async requeue(id: string): Promise<void> {
    await this.database.query(
      `update ingest_runs set status = 'queued', finished_at = null where id = $1 and cancel_requested_at is null`,
      [id],
    );
  }

  /** Records how a run ended; a run an admin cancelled stays cancelled, with the reason given then. */
  async finish(id: string, status: Exclude<RunStatus, 'queued' | 'running'>, error: string | null = null): Promise<void> {
    await this.database.query(
      `update ingest_runs set status = case when cancel_requested_at is null then $2 else 'cancelled' end,
         error = case when cancel_requested_at is null then $3 else error end, finished_at = now()
       where id = $1`,
      [id, status, error],
    );
  }

  /**
   * Ends a run that is still queued or running as failed with `error` (a run that ended
   * meanwhile keeps how it ended): for a run whose own last write failed (see InProcessRunner).
   * Resolves true when it ended the run here.
   */
  async failUnfinished(id: string, error: string): Promise<boolean> {
    const rows = await this.database.query<{ id: string }>(
      `update ingest_runs set status = case when cancel_requested_at is null then 'failed' else 'cancelled' end,
         error = case when cancel_requested_at is null then $2 else error end, finished_at = now()
       where id = $1 and status in ('queued', 'running') returning id`,
      [id, error],
    );
    return rows.length > 0;
  }

  /**
   * An admin's cancellation: a queued or running run becomes cancelled at once, with
   * `reason` as its error, and stays so (no attempt starts or re-queues it; whoever runs
   * it stops at its next check). Resolves with the cancelled run, or undefined when no
   * queued or running run has this id (unknown, or finished already).
   */
  /**
   * Runs handed to the queue of `prefix` (queueOwner) still queued or running that were created
   * at least `olderThanMs` ago, oldest first (at most 100): a worker of that queue checks that
   * each still has its job.
   */
  async unfinishedInQueue(prefix: string, olderThanMs: number): Promise<Pick<RunRecord, 'id' | 'trigger' | 'status'>[]> {
    return this.database.query<Pick<RunRecord, 'id' | 'trigger' | 'status'>>(
      `select id, trigger, status from ingest_runs
       where status in ('queued', 'running') and owner = $2 and created_at < now() - make_interval(secs => $1::float8)
       order by created_at limit 100`,
      [olderThanMs / 1000, queueOwner(prefix)],
    );
  }

  async cancel(id: string, reason: string): Promise<RunRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.database.query<RunRecord>(
      `update ingest_runs set status = 'cancelled', cancel_requested_at = now(), finished_at = now(), error = $2
       where id = $1 and status in ('queued', 'running') returning ${runColumns}`,
      [id, reason],
    );
    return row;
  }

  /**
   * Cancels every queued or running run of a source, as `cancel` does one (its source is
   * about to be deleted: what they would store next has nowhere to go). Resolves with them.
   */
  async cancelOfSource(sourceId: string, reason: string): Promise<RunRecord[]> {
    if (!isUuid(sourceId)) return [];
    return this.database.query<RunRecord>(
      `update ingest_runs set status = 'cancelled', cancel_requested_at = now(), finished_at = now(), error = $2
       where source_id = $1 and status in ('queued', 'running') returning ${runColumns}`,
      [sourceId, reason],
    );
  }

  /** Whether an admin cancelled the run (see `cancel`). */
  async cancelRequested(id: string): Promise<boolean> {
    const [row] = await this.database.query<{ requested: boolean }>(
      'select cancel_requested_at is not null as requested from ingest_runs where id = $1',
      [id],
    );
    return row?.requested ?? false;
  }

  /**
   * Claims a queued run for its owner just before the owner starts it: resolves false when
   * the run is no longer the owner's to start (cancelled meanwhile, or taken up by another
   * process that found the owner's heartbeat stale).
   */
  async claim(id: string, owner: string): Promise<boolean> {
    const rows = await this.database.query(
      `update ingest_runs set heartbeat_at = now()
       where id = $1 and owner = $2 and status = 'queued' and cancel_requested_at is null returning id`,
      [id, owner],
    );
    return rows.length > 0;
  }

  /**
   * The owner says it is alive: refreshes the heartbeat of its queued and running runs and
   * resolves with their ids (a run of its own missing from them was cancelled, or taken up
   * by another process).
   */
  async heartbeat(owner: string): Promise<string[]> {
    const rows = await this.database.query<{ id: string }>(
      `update ingest_runs set heartbeat_at = now() where owner = $1 and status in ('queued', 'running') returning id`,
      [owner],
    );
    return rows.map((row) => row.id);
  }

  /** The owner is stopping: its runs still queued lose their heartbeat, for the next process to take up at once. */
  async release(owner: string): Promise<void> {
    await this.database.query(`update ingest_runs set heartbeat_at = null where owner = $1 and status = 'queued'`, [owner]);
  }

  /**
   * Takes over the runs that processes which stopped left behind, for `owner`: with
   * `exclusive` (an embedded database, which one process opens at a time) every queued or
   * running run of another owner, or of none; otherwise those of owners whose heartbeat is
   * older than `staleAfterMs`. A running one becomes failed with `error`, and a ledger
   * entry saying so (its crawl cannot go on where it stopped); a queued one becomes
   * `owner`'s, for it to run. One statement each, so two processes never take the same run.
   */
  async recoverOrphans(
    owner: string,
    options: { exclusive: boolean; error: string; staleAfterMs?: number },
  ): Promise<{ failed: string[]; adopted: AdoptedRun[] }> {
    const parameters = [owner, options.exclusive, options.staleAfterMs ?? runStaleAfterMs];
    // The run ends failed, and its ledger gets back the pages it stored or tombstoned in the last seconds before the
    // process stopped (the ledger is written in batches; a kill -9 lost up to 2 s of entries: probe 33, L2), then the
    // entry that says why it ended. One transaction, so two processes never take the same run.
    const failed = await this.database.transaction(async (transaction) => {
      const runs = await transaction.query<{ id: string }>(
        `update ingest_runs set status = 'failed', error = $4, finished_at = now(), owner = $1, heartbeat_at = null
         where ${orphanedBy('running')} returning id`,
        [...parameters, options.error],
      );
      if (runs.length === 0) return runs;
      const ids = runs.map((run) => run.id);
      await transaction.query(
        `insert into ingest_run_items (run_id, url, http_status, outcome, error)
         select r.id, d.locator, null, case when d.status = 'active' then 'changed' else 'tombstoned' end,
           'written before the process stopped; its ledger entry was lost with it'
         from ingest_runs r join documents d on (r.source_id is null or d.source_id = r.source_id)
           and r.started_at is not null and d.updated_at >= r.started_at
         where r.id = any($1::uuid[])
           and not exists (select 1 from ingest_run_items i where i.run_id = r.id and (i.url = d.locator or i.url = d.url))
         order by d.updated_at, d.locator`,
        [ids],
      );
      await transaction.query(
        `insert into ingest_run_items (run_id, url, http_status, outcome, error)
         select r.id, coalesce(sources.base_url, '(all sources)'), null, 'failed', $2
         from ingest_runs r left join sources on sources.id = r.source_id where r.id = any($1::uuid[])`,
        [ids, options.error],
      );
      return runs;
    });
    const adopted = await this.database.query<AdoptedRun & { createdAt: Date }>(
      `update ingest_runs set owner = $1, heartbeat_at = now() where ${orphanedBy('queued')}
       returning id, source_id as "sourceId", trigger, page_url as "pageUrl", created_at as "createdAt"`,
      parameters,
    );
    adopted.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return {
      failed: failed.map((row) => row.id),
      adopted: adopted.map(({ id, sourceId, trigger, pageUrl }) => ({ id, sourceId, trigger, pageUrl })),
    };
  }

  /** Appends entries to the run's ledger, in order (one statement however many). */
  async addItems(runId: string, items: readonly RunItemInput[]): Promise<void> {
    if (items.length === 0) return;
    await this.database.query(
      `insert into ingest_run_items (run_id, url, http_status, outcome, chunks_added, chunks_removed, embedding_tokens, error)
       select $1, x.url, x.http_status, x.outcome, x.chunks_added, x.chunks_removed, x.embedding_tokens, x.error
       from rows from (jsonb_to_recordset($2::jsonb) as (url text, http_status integer, outcome text, chunks_added integer,
         chunks_removed integer, embedding_tokens integer, error text)) with ordinality
         as x(url, http_status, outcome, chunks_added, chunks_removed, embedding_tokens, error, position)
       order by x.position`,
      [
        runId,
        JSON.stringify(
          items.map((item) => ({
            url: item.url,
            http_status: item.httpStatus,
            outcome: item.outcome,
            chunks_added: item.chunksAdded,
            chunks_removed: item.chunksRemoved,
            embedding_tokens: item.embeddingTokens,
            error: item.error,
          })),
        ),
      ],
    );
  }

  /**
   * Runs waiting to start that a live process will start: those of the queue (no owner)
   * and those whose owner's heartbeat is fresh. A run left queued by a process that
   * stopped does not count (the next start takes it up).
   */
  async countQueued(staleAfterMs = runStaleAfterMs): Promise<number> {
    const [row] = await this.database.query<{ count: number }>(`select count(*)::int as count from ingest_runs where ${queuedRunsWhere}`, [
      staleAfterMs,
    ]);
    return row!.count;
  }

  /** The most recent runs, newest first. */
  async list(limit = 50): Promise<RunRecord[]> {
    return this.database.query<RunRecord>(`select ${runColumns} from ingest_runs order by created_at desc, id limit $1`, [limit]);
  }

  async find(id: string): Promise<RunRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.database.query<RunRecord>(`select ${runColumns} from ingest_runs where id = $1`, [id]);
    return rows[0];
  }

  /**
   * One page of a run's ledger, in the order it was written: at most `limit` entries after the entry `after` (an
   * entry's id), and whether more follow. A run of many thousand pages is read a page at a time, not held whole.
   */
  async itemsPage(
    runId: string,
    page: { limit: number; after?: number | undefined },
  ): Promise<{ items: (RunItemInput & { id: number })[]; hasMore: boolean }> {
    const rows = await this.database.query<RunItemInput & { id: number }>(
      `select id::int, url, http_status as "httpStatus", outcome, chunks_added as "chunksAdded", chunks_removed as "chunksRemoved",
         embedding_tokens as "embeddingTokens", error from ingest_run_items where run_id = $1 and id > $2 order by id limit $3`,
      [runId, page.after ?? 0, page.limit + 1],
    );
    return { items: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
  }

  async items(runId: string): Promise<(RunItemInput & { id: number })[]> {
    return this.database.query(
      `select id::int, url, http_status as "httpStatus", outcome, chunks_added as "chunksAdded", chunks_removed as "chunksRemoved",
         embedding_tokens as "embeddingTokens", error from ingest_run_items where run_id = $1 order by id`,
      [runId],
    );
  }
}
