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

export class RunsRepository {
  constructor(private readonly database: Database) {}

  async create(sourceId: string | null, trigger: RunTrigger): Promise<RunRecord> {
    const [row] = await this.database.query<RunRecord>(
      `insert into ingest_runs (source_id, trigger) values ($1, $2) returning ${runColumns}`,
      [sourceId, trigger],
    );
    return row!;
  }

  /**
   * Marks a run running. An attempt starts from nothing: the counts and ledger of an
   * interrupted earlier attempt (a crashed worker) are cleared, so the record describes
   * one complete pass and nothing is counted twice.
   */
  async start(id: string): Promise<void> {
    await this.database.transaction(async (transaction) => {
      await transaction.query('delete from ingest_run_items where run_id = $1', [id]);
      await transaction.query(
        `update ingest_runs set status = 'running', started_at = coalesce(started_at, now()), finished_at = null, error = null,
           counts = '{"discovered":0,"fetched":0,"unchanged":0,"skipped":0,"failed":0,"chunksAdded":0,"chunksRemoved":0}'
         where id = $1`,
        [id],
      );
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

  /** Puts an interrupted run back to queued (its job will be taken up again). */
  async requeue(id: string): Promise<void> {
    await this.database.query(`update ingest_runs set status = 'queued', finished_at = null where id = $1`, [id]);
  }

  async finish(id: string, status: Exclude<RunStatus, 'queued' | 'running'>, error: string | null = null): Promise<void> {
    await this.database.query(`update ingest_runs set status = $2, error = $3, finished_at = now() where id = $1`, [id, status, error]);
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

  /** Runs waiting to start. */
  async countQueued(): Promise<number> {
    const [row] = await this.database.query<{ count: number }>(`select count(*)::int as count from ingest_runs where status = 'queued'`);
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

  async items(runId: string): Promise<(RunItemInput & { id: number })[]> {
    return this.database.query(
      `select id::int, url, http_status as "httpStatus", outcome, chunks_added as "chunksAdded", chunks_removed as "chunksRemoved",
         embedding_tokens as "embeddingTokens", error from ingest_run_items where run_id = $1 order by id`,
      [runId],
    );
  }
}
