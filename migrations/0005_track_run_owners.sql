-- Runs that outlive their process. A run executed inside an API process (no queue) names
-- that process as its `owner`, which refreshes `heartbeat_at` while the run waits or runs:
-- a run whose owner stopped (a crash, kill -9) is then found, failed or taken up again at
-- the next start, and no longer counts toward INGEST_MAX_QUEUED_RUNS. Runs of the BullMQ
-- queue have no owner here (the queue's job locks say which worker holds them).
-- `page_url` is the one page of a one-page run, so that another process can take it up.
-- `cancel_requested_at` is an admin's cancellation (POST /v1/ingest/runs/:id/cancel):
-- whoever runs the run stops at its next check, and no attempt starts or re-queues it.
alter table ingest_runs
  add column owner text,
  add column heartbeat_at timestamptz,
  add column page_url text,
  add column cancel_requested_at timestamptz;

-- Runs left unfinished before this migration belong to no process that can still say so.
update ingest_runs set owner = 'unknown' where status in ('queued', 'running');

create index ingest_runs_unfinished_idx on ingest_runs (status, created_at) where status in ('queued', 'running');
