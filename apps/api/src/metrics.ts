import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { errorCodes } from '@cairn/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '@cairn/store';

/** What a database read of a scrape gives when the database is away. */
const unavailable = Symbol('unavailable');
async function orUnavailable<T>(read: () => Promise<T>): Promise<T | typeof unavailable> {
  try {
    return await read();
  } catch {
    return unavailable;
  }
}

/** What the routes record beyond HTTP: retrieval and model figures. */
export interface CairnMetrics {
  registry: Registry;
  retrievalSeconds: Histogram<'route'>;
  modelSeconds: Histogram<'mode'>;
  answers: Counter<'mode' | 'outcome'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: CairnMetrics;
  }
}

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Prometheus metrics at GET /metrics: requests by route and status with their durations,
 * retrieval and model time, answers by outcome, and ingestion figures read from the
 * database at scrape time (so the worker's progress shows without scraping the worker).
 * One registry per app, so that several apps in one process do not collide.
 */
export const metricsPlugin = fp<{ store: Store }>(
  async (app, { store }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'cairn_' });
    const requests = new Counter({
      name: 'cairn_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'cairn_http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route'],
      buckets: seconds,
      registers: [registry],
    });
    const retrievalSeconds = new Histogram({
      name: 'cairn_retrieval_duration_seconds',
      help: 'Hybrid retrieval time (embedding, dense, keyword, fusion)',
      labelNames: ['route'],
      buckets: seconds,
      registers: [registry],
    });
    const modelSeconds = new Histogram({
      name: 'cairn_model_duration_seconds',
      help: "The chat model's time per answer",
      labelNames: ['mode'],
      buckets: seconds,
      registers: [registry],
    });
    const answers = new Counter({
      name: 'cairn_answers_total',
      help: 'Answers by mode and outcome (answered, refused, no_support)',
      labelNames: ['mode', 'outcome'],
      registers: [registry],
    });
    // Whether the last scrape reached the database: 0 while it is away, when the gauges read from it are left out.
    new Gauge({
      name: 'cairn_database_up',
      help: 'Whether the database answered this scrape (1) or not (0)',
      registers: [registry],
      async collect() {
        this.set((await orUnavailable(() => store.database.query('select 1'))) === unavailable ? 0 : 1);
      },
    });
    new Gauge({
      name: 'cairn_ingest_runs',
      help: 'Ingestion runs by status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        this.reset();
        // A database that is away leaves these out (cairn_database_up says so): the scrape that shows the outage is kept.
        await orUnavailable(async () => {
          for (const row of await store.database.query<{ status: string; count: number }>(
            'select status, count(*)::int as count from ingest_runs group by status',
          ))
            this.set({ status: row.status }, row.count);
        });
      },
    });
    new Gauge({
      name: 'cairn_ingest_pages',
      help: 'Pages handled by all ingestion runs, by outcome (fetched, unchanged, skipped, failed)',
      labelNames: ['outcome'],
      registers: [registry],
      async collect() {
        this.reset();
        // A database that is away leaves these out (cairn_database_up says so): the scrape that shows the outage is kept.
        await orUnavailable(async () => {
          const [row] = await store.database.query<Record<string, number>>(
            `select coalesce(sum((counts->>'fetched')::int), 0)::int as fetched, coalesce(sum((counts->>'unchanged')::int), 0)::int as unchanged,
             coalesce(sum((counts->>'skipped')::int), 0)::int as skipped, coalesce(sum((counts->>'failed')::int), 0)::int as failed from ingest_runs`,
          );
          for (const [outcome, value] of Object.entries(row ?? {})) this.set({ outcome }, value);
        });
      },
    });
    new Gauge({
      name: 'cairn_index_size',
      help: 'Active documents and passages in the index',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        this.reset();
        // A database that is away leaves these out (cairn_database_up says so): the scrape that shows the outage is kept.
        await orUnavailable(async () => {
          const [row] = await store.database.query<{ documents: number; chunks: number }>(
            `select (select count(*)::int from documents where status = 'active') as documents, (select count(*)::int from chunks) as chunks`,
          );
          this.set({ kind: 'documents' }, row?.documents ?? 0);
          this.set({ kind: 'chunks' }, row?.chunks ?? 0);
        });
      },
    });

    app.decorate('metrics', { registry, retrievalSeconds, modelSeconds, answers });
    // Each request counted once: by onResponse (which Fastify runs when the response finishes, a streamed
    // one too), or, for a client that hung up before it finished, at the connection's close as 499
    // (nginx's convention, as docs/errors.md says).
    const counted = new WeakSet<object>();
    const record = (request: FastifyRequest, status: number, seconds: number) => {
      if (counted.has(request)) return;
      counted.add(request);
      // Unmatched paths share one label, so that scanners cannot grow the label set.
      const route = request.routeOptions.url ?? 'unmatched';
      requests.inc({ method: request.method, route, status: String(status) });
      duration.observe({ method: request.method, route }, seconds);
    };
    app.addHook('onRequest', async (request, reply) => {
      reply.raw.once('close', () => {
        const seconds = reply.elapsedTime / 1000;
        if (!reply.raw.writableFinished) record(request, errorCodes.client_closed_request.status, seconds);
      });
    });
    app.addHook('onResponse', async (request, reply) => record(request, reply.statusCode, reply.elapsedTime / 1000));
    app.get(
      '/metrics',
      { schema: { tags: ['health'], summary: 'Prometheus metrics (needs the admin scope when keys exist)' } },
      async (_request, reply) => {
        const text = await registry.metrics();
        return reply.type(registry.contentType).send(text);
      },
    );
  },
  { name: 'cairn-metrics' },
);
