import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from './App.js';

type Handler = (request: { method: string; path: string; body: unknown; headers: Record<string, string> }) => Response | Promise<Response>;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Stubs fetch with `handler`, and records what was asked. */
function stubApi(handler: Handler) {
  const calls: { method: string; path: string; body: unknown; headers: Record<string, string> }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit = {}) => {
      const call = {
        method: init.method ?? 'GET',
        path,
        body: init.body ? JSON.parse(init.body as string) : undefined,
        headers: (init.headers ?? {}) as Record<string, string>,
      };
      calls.push(call);
      return handler(call);
    }),
  );
  return calls;
}

function renderAt(path: string) {
  window.history.pushState({}, '', `/admin${path}`);
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, refetchOnWindowFocus: false } });
  return render(<App queryClient={client} />);
}

const source = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'fixture',
  kind: 'web',
  baseUrl: 'http://127.0.0.1:4000/',
  seeds: [],
  include: [],
  exclude: [],
  maxPages: 1000,
  crawlDelayMs: 0,
  schedule: null,
  enabled: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  documents: 12,
  tombstoned: 1,
  stale: 3,
  chunks: 40,
  oldestFetch: '2026-09-01T00:00:00.000Z',
  newestFetch: '2026-11-20T00:00:00.000Z',
  lastRun: {
    id: '22222222-2222-4222-8222-222222222222',
    status: 'succeeded',
    createdAt: '2026-11-20T00:00:00.000Z',
    finishedAt: '2026-11-20T00:01:00.000Z',
  },
};

afterEach(() => vi.unstubAllGlobals());

describe('auth', () => {
  it('asks for an admin key on 401, keeps it for the session and sends it with each call', async () => {
    const calls = stubApi(({ headers }) =>
      headers.authorization === 'Bearer cairn_admin_test_key_0123456789'
        ? json(200, { staleAfterDays: 30, sources: [source] })
        : json(401, { error: { code: 'unauthorized', message: 'This route needs a key with the admin scope.' } }),
    );
    renderAt('/sources');
    const dialog = await screen.findByRole('dialog', { name: 'This Cairn needs an admin key' });
    expect(within(dialog).getByText('This route needs a key with the admin scope.')).toBeInTheDocument();
    const input = within(dialog).getByLabelText('Admin key');
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute('type', 'password');
    await userEvent.type(input, 'cairn_admin_test_key_0123456789{Enter}');
    expect(await screen.findByRole('row', { name: /fixture/ })).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(sessionStorage.getItem('cairn.adminKey')).toBe('cairn_admin_test_key_0123456789');
    expect(calls.at(-1)!.headers.authorization).toBe('Bearer cairn_admin_test_key_0123456789');

    await userEvent.click(screen.getByRole('button', { name: 'Forget key' }));
    expect(sessionStorage.getItem('cairn.adminKey')).toBeNull();
  });
});

describe('sources', () => {
  it('shows loading, then an error with its code and a retry that works', async () => {
    let fail = true;
    stubApi(() =>
      fail
        ? json(503, { error: { code: 'database_unavailable', message: 'The database cannot be reached.' } })
        : json(200, { staleAfterDays: 30, sources: [source] }),
    );
    renderAt('/sources');
    expect(screen.getByRole('status')).toHaveTextContent('Loading sources…');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('database_unavailable');
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    const row = await screen.findByRole('row', { name: /fixture/ });
    const cells = within(row)
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells.slice(1, 5)).toEqual(['12', '40', '3', '1']);
    expect(within(row).getByRole('link', { name: 'Last run of fixture: succeeded' })).toHaveAttribute(
      'href',
      `/admin/runs/${source.lastRun.id}`,
    );
  });

  it('shows the empty state', async () => {
    stubApi(() => json(200, { staleAfterDays: 30, sources: [] }));
    renderAt('/sources');
    expect(await screen.findByText('No sources yet: add one.')).toBeInTheDocument();
  });

  it('sends only the changed settings when a source is edited, and shows a refusal', async () => {
    const calls = stubApi(({ method }) =>
      method === 'PATCH'
        ? json(400, { error: { code: 'invalid_request', message: 'body.crawlDelayMs must be <= 60000' } })
        : json(200, { staleAfterDays: 30, sources: [source] }),
    );
    renderAt('/sources');
    await userEvent.click(await screen.findByRole('button', { name: 'Edit fixture' }));
    const form = screen.getByRole('form', { name: 'Edit fixture' });
    const delay = within(form).getByLabelText('Crawl delay (ms)');
    await userEvent.clear(delay);
    await userEvent.type(delay, '250');
    await userEvent.type(within(form).getByLabelText('Exclude patterns (one per line)'), '/tags/{Enter}/drafts/');
    await userEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls.some((call) => call.method === 'PATCH')).toBe(true));
    const patch = calls.find((call) => call.method === 'PATCH')!;
    expect(patch.path).toBe(`/v1/sources/${source.id}`);
    expect(patch.body).toEqual({ crawlDelayMs: 250, exclude: ['/tags/', '/drafts/'] });
    expect(await within(form).findByRole('alert')).toHaveTextContent('body.crawlDelayMs must be <= 60000');
  });
});

describe('runs', () => {
  it('shows a run with its progress, counts and ledger', async () => {
    stubApi(({ path }) =>
      path.startsWith('/v1/ingest/runs/')
        ? json(200, {
            id: 'r1',
            sourceId: source.id,
            trigger: 'api',
            status: 'running',
            counts: { discovered: 10, fetched: 3, unchanged: 1, skipped: 0, failed: 1, chunksAdded: 9, chunksRemoved: 0 },
            createdAt: '2026-11-24T10:00:00.000Z',
            startedAt: '2026-11-24T10:00:01.000Z',
            finishedAt: null,
            error: null,
            items: [
              {
                url: 'http://127.0.0.1:4000/a/',
                httpStatus: 200,
                outcome: 'changed',
                chunksAdded: 5,
                chunksRemoved: 0,
                embeddingTokens: 800,
                error: null,
              },
              {
                url: 'http://127.0.0.1:4000/gone/',
                httpStatus: 404,
                outcome: 'failed',
                chunksAdded: 0,
                chunksRemoved: 0,
                embeddingTokens: 0,
                error: 'HTTP 404',
              },
            ],
          })
        : json(200, { staleAfterDays: 30, sources: [source] }),
    );
    renderAt('/runs/r1');
    expect(await screen.findByRole('heading', { name: /Run of fixture/ })).toHaveTextContent('running');
    expect(screen.getByRole('progressbar', { name: 'Progress: 5 of 10 pages' })).toHaveAttribute('value', '5');
    const ledger = screen.getByRole('table', { name: 'Every URL the run handled, in order' });
    const rows = within(ledger).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-outcome'))).toEqual(['changed', 'failed']);
    expect(within(rows[1]!).getByText('HTTP 404')).toBeInTheDocument();
  });
});
