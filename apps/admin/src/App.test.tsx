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
  freshness: [
    { fromDays: 0, toDays: 1, pages: 4, stale: false },
    { fromDays: 1, toDays: 7, pages: 5, stale: false },
    { fromDays: 7, toDays: 30, pages: 0, stale: false },
    { fromDays: 30, toDays: null, pages: 3, stale: true },
  ],
};
/** A web source as the API lists it on a first start: configured, never crawled. */
const uncrawled = {
  ...source,
  id: '33333333-3333-4333-8333-333333333333',
  name: 'lethain',
  baseUrl: 'https://lethain.com/',
  maxPages: 2000,
  documents: 0,
  tombstoned: 0,
  stale: 0,
  chunks: 0,
  oldestFetch: null,
  newestFetch: null,
  lastRun: null,
  freshness: source.freshness.map((bucket) => ({ ...bucket, pages: 0 })),
};
const notes = {
  ...source,
  id: '44444444-4444-4444-8444-444444444444',
  name: 'starter-notes',
  kind: 'directory',
  baseUrl: '/x/notes',
  documents: 35,
  lastRun: null,
};

/** A source's row of the sources table (the freshness table below it has a row per source too). */
const sourceRow = async (name: string) =>
  within(await screen.findByRole('table', { name: /^Freshness: a page last crawled/ })).getByRole('row', { name: new RegExp(name) });

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
    // Said once, in the dialog, with how to get a key: no second alert under it.
    expect(within(dialog).getByText('cairn keys create --name me --scopes admin')).toBeInTheDocument();
    expect(await screen.findByText('This page needs an admin key: enter it above.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    const input = within(dialog).getByLabelText('Admin key');
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute('type', 'password');
    await userEvent.type(input, 'cairn_admin_test_key_0123456789{Enter}');
    expect(await sourceRow('fixture')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(sessionStorage.getItem('cairn.adminKey')).toBe('cairn_admin_test_key_0123456789');
    expect(calls.at(-1)!.headers.authorization).toBe('Bearer cairn_admin_test_key_0123456789');

    await userEvent.click(screen.getByRole('button', { name: 'Forget key' }));
    expect(sessionStorage.getItem('cairn.adminKey')).toBeNull();
  });
});

describe('the key dialog', () => {
  it("shows the API's `code` spans as code, not literal backticks", async () => {
    stubApi(() =>
      json(401, { error: { code: 'unauthorized', message: 'GET /v1/sources needs an API key: send `Authorization: Bearer <key>`.' } }),
    );
    renderAt('/sources');
    const dialog = await screen.findByRole('dialog', { name: 'This Cairn needs an admin key' });
    expect(within(dialog).getByText('Authorization: Bearer <key>').tagName).toBe('CODE');
    expect(dialog.textContent).not.toContain('`');
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
    const row = await sourceRow('fixture');
    const cells = within(row)
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells.slice(1, 5)).toEqual(['12', '40', '3', '1']);
    expect(within(row).getByRole('link', { name: 'Last run of fixture: succeeded' })).toHaveAttribute(
      'href',
      `/admin/runs/${source.lastRun.id}`,
    );
  });

  it("draws each source's freshness, with its numbers in the chart's name and in a table", async () => {
    stubApi(() => json(200, { staleAfterDays: 30, sources: [source] }));
    renderAt('/sources');
    const row = await sourceRow('fixture');
    const chart = within(row).getByRole('img', { name: /^Freshness of fixture/ });
    expect(chart).toHaveAccessibleName('Freshness of fixture: 13 pages: 4 under a day, 5 1–7 days, 3 30+ days (stale), 1 vanished');
    // The bars are drawn once the charting library has loaded (on demand).
    await waitFor(() =>
      expect([...chart.querySelectorAll('rect[data-tone]')].map((rect) => rect.getAttribute('data-tone'))).toEqual([
        'fresh',
        'aging',
        'stale',
        'vanished',
      ]),
    );
    // Widths in proportion: 4 of 13 pages of a 160-wide bar.
    expect(Number(chart.querySelector('rect[data-tone="fresh"]')!.getAttribute('width'))).toBeCloseTo((4 / 13) * 160, 3);
    expect(chart.querySelector('rect[data-tone="stale"] title')).toHaveTextContent('3 pages 30+ days (stale)');
    const table = screen.getByRole('table', { name: /Active pages by days since each was last crawled/ });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Source', 'under a day', '1–7 days', '7–30 days', '30+ days (stale)', 'vanished']);
    expect(
      within(within(table).getByRole('row', { name: /fixture/ }))
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['4', '5', '0', '3', '1']);
  });

  it('explains a first run: the web sources are configured, with Crawl now and what each will fetch', async () => {
    const calls = stubApi(({ method, path }) =>
      method === 'POST' && path === '/v1/ingest/runs'
        ? json(202, { runId: '55555555-5555-4555-8555-555555555555' })
        : path.startsWith('/v1/ingest/runs')
          ? json(404, { error: { code: 'run_not_found', message: 'No run.' } })
          : json(200, { staleAfterDays: 30, sources: [notes, uncrawled] }),
    );
    renderAt('/sources');
    const callout = await screen.findByRole('region', { name: 'The web sources are configured, not crawled yet' });
    expect(callout).toHaveTextContent('Cairn answers from its 35 starter notes for now.');
    expect(callout).toHaveTextContent('The 1 site below (lethain)');
    const row = await sourceRow('lethain');
    expect(within(row).getByText('not crawled yet')).toBeInTheDocument();
    const crawl = within(row).getByRole('button', { name: 'Crawl lethain now' });
    expect(crawl).toHaveAccessibleDescription('up to 2,000 pages');
    // A directory of notes is read from disk, not crawled: no crawl or edit of its address here.
    const notesRow = await sourceRow('starter-notes');
    expect(within(notesRow).queryByRole('button')).toBeNull();
    expect(notesRow).toHaveTextContent('read from a directory: cairn ingest --dir updates it');
    expect(notesRow).toHaveTextContent('35 notes');
    await userEvent.click(crawl);
    await waitFor(() => expect(window.location.pathname).toBe('/admin/runs/55555555-5555-4555-8555-555555555555'));
    expect(calls.find((call) => call.method === 'POST')!.body).toEqual({ sourceId: uncrawled.id });
  });

  it('has no first-run note once a web source has been crawled', async () => {
    stubApi(() => json(200, { staleAfterDays: 30, sources: [source, uncrawled] }));
    renderAt('/sources');
    await sourceRow('lethain');
    expect(screen.queryByRole('region', { name: /configured, not crawled yet/ })).toBeNull();
  });

  it('closes the source form on Escape and gives focus back to the button that opened it', async () => {
    stubApi(() => json(200, { staleAfterDays: 30, sources: [source] }));
    renderAt('/sources');
    await userEvent.click(await screen.findByRole('button', { name: 'Add source' }));
    const form = screen.getByRole('form', { name: 'Add a source' });
    expect(within(form).getByLabelText('Name')).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('form', { name: 'Add a source' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Add source' })).toHaveFocus();
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
  it('explains runs when there are none, and starts the first with one button', async () => {
    const calls = stubApi(({ method, path }) =>
      path === '/v1/sources'
        ? json(200, { staleAfterDays: 30, sources: [notes, uncrawled] })
        : method === 'POST'
          ? json(202, { runId: '66666666-6666-4666-8666-666666666666' })
          : path.startsWith('/v1/ingest/runs?')
            ? json(200, { runs: [] })
            : json(404, { error: { code: 'run_not_found', message: 'No run.' } }),
    );
    renderAt('/runs');
    expect(await screen.findByRole('heading', { name: 'No ingestion runs yet' })).toBeInTheDocument();
    expect(await screen.findByText(/2 enabled sources: up to 2,000 pages from lethain/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Crawl all enabled sources' }));
    await waitFor(() => expect(window.location.pathname).toBe('/admin/runs/66666666-6666-4666-8666-666666666666'));
    expect(calls.find((call) => call.method === 'POST')).toMatchObject({ path: '/v1/ingest/runs', body: {} });
  });

  it('draws recent runs on a timeline and shows pages per second', async () => {
    const run = (id: string, status: string, startedAt: string, finishedAt: string | null, fetched: number) => ({
      id,
      sourceId: source.id,
      trigger: 'api',
      status,
      counts: { discovered: fetched, fetched, unchanged: 0, skipped: 0, failed: 0, chunksAdded: 0, chunksRemoved: 0 },
      createdAt: startedAt,
      startedAt,
      finishedAt,
      error: null,
    });
    stubApi(({ path }) =>
      path === '/v1/sources'
        ? json(200, { staleAfterDays: 30, sources: [source] })
        : json(200, {
            runs: [
              run('r2', 'failed', '2026-11-24T10:10:00.000Z', '2026-11-24T10:10:05.000Z', 2),
              run('r1', 'succeeded', '2026-11-24T10:00:00.000Z', '2026-11-24T10:00:20.000Z', 50),
            ],
          }),
    );
    renderAt('/runs');
    const timeline = await screen.findByRole('img', { name: /^Timeline of the last 2 runs/ });
    expect(timeline).toHaveAccessibleName('Timeline of the last 2 runs: 1 succeeded, 1 failed');
    const bars = [...timeline.querySelectorAll('rect[data-status]')];
    expect(bars.map((bar) => bar.getAttribute('data-status'))).toEqual(['succeeded', 'failed']);
    // Oldest at the left.
    expect(Number(bars[0]!.getAttribute('x'))).toBeLessThan(Number(bars[1]!.getAttribute('x')));
    // From the keyboard: the chart takes focus, and the arrow keys show each run's numbers.
    timeline.focus();
    expect(timeline).toHaveFocus();
    await userEvent.keyboard('{ArrowRight}');
    expect(await screen.findByText(/^fixture: succeeded, 50 pages, 20\.0 s/)).toHaveClass('chart-tooltip');
    expect(screen.getByRole('progressbar', { name: 'Progress: 50 of 50 pages' }).parentElement).toHaveTextContent('2.5 pages/s');
    expect(screen.getByRole('progressbar', { name: 'Progress: 2 of 2 pages' }).parentElement).toHaveTextContent('0.40 pages/s');
  });

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

describe('feedback', () => {
  it('explains feedback when there is none, with a way to the first, and says which rating has none', async () => {
    stubApi(() => json(200, { feedback: [] }));
    renderAt('/feedback');
    expect(await screen.findByRole('heading', { name: 'No rated answers yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ask a question' })).toHaveAttribute('href', '/admin/');
    await userEvent.selectOptions(screen.getByLabelText('Show'), '1');
    expect(await screen.findByText('No answers rated helpful yet.')).toBeInTheDocument();
  });
});

const storedAnswer = {
  id: '77777777-7777-4777-8777-777777777777',
  conversationId: '88888888-8888-4888-8888-888888888888',
  role: 'assistant',
  content: 'Name the impact [1].',
  question: 'How do I give feedback?',
  citations: [
    {
      n: 1,
      url: 'https://larahogan.me/blog/feedback-equation/#using-it',
      title: 'The feedback equation',
      author: 'Lara Hogan',
      source: 'larahogan',
      heading: 'The feedback equation › Using it',
      quote: 'Share an observation and its impact.',
      chunkId: 'c1',
      kind: 'article',
      publishedAt: null,
      fetchedAt: null,
    },
  ],
  mode: 'extractive',
  model: 'cairn-extractive-v1',
  createdAt: '2026-11-24T10:00:00.000Z',
};

describe('answer permalink', () => {
  it('shows the stored answer read-only with its question and citations, and copies it as Markdown', async () => {
    const calls = stubApi(({ path }) =>
      path === `/v1/messages/${storedAnswer.id}`
        ? json(200, storedAnswer)
        : json(404, { error: { code: 'message_not_found', message: 'No message.' } }),
    );
    const written: string[] = [];
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: async (text: string) => void written.push(text) } });
    vi.stubGlobal('isSecureContext', true);
    renderAt(`/answers/${storedAnswer.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Answer to: How do I give feedback?' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Citation 1' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'The feedback equation' })).toHaveAttribute('href', storedAnswer.citations[0]!.url);
    // Read-only: nothing to rate, no question box.
    expect(screen.queryByRole('button', { name: /Helpful/ })).toBeNull();
    expect(screen.queryByRole('textbox')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Copy as Markdown' }));
    expect(await screen.findByText('Copied: the answer with its sources as footnotes.')).toBeInTheDocument();
    expect(written[0]).toContain('Name the impact [^1].');
    expect(written[0]).toContain('[^1]: [The feedback equation](https://larahogan.me/blog/feedback-equation/#using-it), Lara Hogan');
    expect(written[0]).toContain(`/admin/answers/${storedAnswer.id}`);
    expect(calls.map((call) => call.path)).toEqual([`/v1/messages/${storedAnswer.id}`]);
  });

  it('says the answer is not found for an unknown or foreign id', async () => {
    stubApi(() => json(404, { error: { code: 'message_not_found', message: 'No message has the id "x".' } }));
    renderAt('/answers/00000000-0000-4000-8000-000000000000');
    expect(await screen.findByRole('alert')).toHaveTextContent('message_not_found');
  });
});

describe('search', () => {
  it("draws each result's rank at each stage as a chart beside the table", async () => {
    const result = (n: number, ranks: Record<string, number | null>) => ({
      chunkId: `c${n}`,
      documentId: `d${n}`,
      url: `https://example.com/${n}/`,
      title: `Page ${n}`,
      author: null,
      source: 'fixture',
      heading: `Page ${n} › Part`,
      text: 'text',
      score: 0.03,
      ranks,
    });
    stubApi(({ path }) =>
      path === '/v1/search'
        ? json(200, {
            results: [
              result(1, { vector: 3, keyword: 1, page: 1, fused: 1, reranked: 1 }),
              result(2, { vector: null, keyword: 2, page: 2, fused: 2, reranked: 2 }),
            ],
            reranker: 'features-v1',
            timings: { embedMs: 1, denseMs: 1, keywordMs: 1, rerankMs: 1, totalMs: 4 },
          })
        : json(200, { staleAfterDays: 30, sources: [source] }),
    );
    renderAt('/search');
    await userEvent.type(screen.getByLabelText('Query'), 'migrations{Enter}');
    const chart = await screen.findByRole('img', { name: /^Ranks of the 2 results at each stage/ });
    expect(chart.querySelectorAll('.recharts-line')).toHaveLength(2);
    // One point per stage that saw the passage: the second was not in the dense list.
    const points = (series: number) => [...chart.querySelectorAll(`circle.series-dot.series-${series}`)];
    expect(points(0)).toHaveLength(6);
    expect(points(1)).toHaveLength(5);
    // Rank 1 is drawn above rank 3.
    const [dense, keyword] = points(0).map((circle) => Number(circle.getAttribute('cy')));
    expect(keyword!).toBeLessThan(dense!);
    // From the keyboard: the chart takes focus, and the arrow keys list each stage's ranks.
    chart.focus();
    await userEvent.keyboard('{ArrowRight}');
    const tooltip = await waitFor(() => {
      const found = document.querySelector('.chart-tooltip');
      expect(found).not.toBeNull();
      return found!;
    });
    expect(tooltip.querySelector('strong')).toHaveTextContent('Keyword');
    expect([...tooltip.querySelectorAll('li')].map((item) => item.textContent!.replace(/\s+/g, ' '))).toEqual([
      '1 1. Page 1 › Part',
      '2 2. Page 2 › Part',
    ]);
    expect(tooltip.querySelector('li .series-swatch')).toHaveClass('series-0');
    expect(screen.getByRole('table', { name: 'Results for “migrations”' })).toBeInTheDocument();
  });
});
