import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" className="state state-loading">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An API failure: its code and message, and a way to try again. */
export function ErrorNotice({ error, onRetry, title = 'Something went wrong' }: { error: unknown; onRetry?: () => void; title?: string }) {
  const code = error instanceof ApiError ? error.code : 'error';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="state state-error">
      <strong>{title}</strong> <code>{code}</code>
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** An empty state: a line of text, or a richer block (what the page is for, and a button that starts it). */
export function Empty({ children }: { children: ReactNode }) {
  return typeof children === 'string' ? (
    <p className="state state-empty">{children}</p>
  ) : (
    <div className="state state-empty">{children}</div>
  );
}

/** Loading, error and empty states of one query, then its data. */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  loadingLabel,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  loadingLabel?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  // A missing or refused key: the key dialog above says so once, with the API's message.
  if (query.isError && query.error instanceof ApiError && query.error.code === 'unauthorized')
    return <p className="state state-empty">This page needs an admin key: enter it above.</p>;
  if (query.isError) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <Empty>{empty ?? 'Nothing here yet.'}</Empty>;
  return <>{children(query.data)}</>;
}
