import type { RunStatus } from '../api/types.js';

const labels: Record<RunStatus, string> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`badge status-${status}`}>{labels[status] ?? status}</span>;
}
