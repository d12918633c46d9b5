import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CairnError } from '@cairn/core';
import { sourcePatternsProblem } from '@cairn/ingest';
import type { SourceRecord } from '@cairn/store';
import { checkSourceSettings, checkUrl } from './check-source-settings.js';
import { freshnessBuckets, freshnessThresholds } from './freshness-buckets.js';
import { isoDate } from './iso-date.js';
import { errorResponses } from './shared-schemas.js';
import { SourceListResponse, SourcePatch, SourceRequestBody, SourceResponse } from './source-schemas.js';

/** What a run of a source deleted while it was queued or running records as its error. */
const deletedSourceReason = 'cancelled: its source was deleted (DELETE /v1/sources/:id); nothing more is stored for it';

/**
 * A pattern the crawler cannot run is bad input, not a crawler failure later: patterns
 * match with RE2 (linear time, so none can freeze a crawl), which has no backreferences
 * or lookaround, and each list's size is bounded (code `invalid_pattern`).
 */
function assertPatterns(patterns: readonly string[] | undefined): void {
  const problem = sourcePatternsProblem(patterns ?? []);
  if (problem) throw new CairnError('invalid_pattern', `body.include/exclude: ${problem.message}`, { details: problem.details });
}

export const sourceJson = <Source extends SourceRecord>(source: Source) => ({
  ...source,
  createdAt: isoDate(source.createdAt)!,
  updatedAt: isoDate(source.updatedAt)!,
});

export const sourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const params = Type.Object({ id: Type.String() });

  app.get(
    '/v1/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Sources with their counts, crawl freshness and last run',
        querystring: Type.Object({
          staleAfterDays: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 3650, default: 30, description: 'Pages fetched longer ago count as stale' }),
          ),
        }),
        response: { 200: SourceListResponse, ...errorResponses },
      },
    },
    async (request) => {
      const staleAfterDays = request.query.staleAfterDays ?? 30;
      const thresholds = freshnessThresholds(staleAfterDays);
      const [sources, ages] = await Promise.all([
        app.cairn.store.sources.listWithStatistics(staleAfterDays),
        app.cairn.store.sources.pagesByAge(thresholds),
      ]);
      return {
        staleAfterDays,
        sources: sources.map((source) => ({
          ...sourceJson(source),
          oldestFetch: isoDate(source.oldestFetch),
          newestFetch: isoDate(source.newestFetch),
          freshness: freshnessBuckets(
            ages.filter((age) => age.sourceId === source.id),
            thresholds,
          ),
          lastRun: source.lastRun && {
            ...source.lastRun,
            createdAt: isoDate(new Date(source.lastRun.createdAt))!,
            finishedAt: source.lastRun.finishedAt && isoDate(new Date(source.lastRun.finishedAt)),
          },
        })),
      };
    },
  );

  app.post(
    '/v1/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Add a web source to crawl',
        body: SourceRequestBody,
        response: { 201: SourceResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      checkSourceSettings(request.body);
      if (typeof request.body.publicBaseUrl === 'string') checkUrl(request.body.publicBaseUrl, 'body.publicBaseUrl');
      assertPatterns(request.body.include);
      assertPatterns(request.body.exclude);
      // One statement: of two creations of a name at once, one gets 201 and the other 409.
      const source = await app.cairn.store.sources.create({ ...request.body, kind: 'web' });
      if (!source)
        throw new CairnError(
          'source_exists',
          `A source named ${JSON.stringify(request.body.name)} exists already; PATCH /v1/sources/:id changes it.`,
        );
      return reply.status(201).send(sourceJson(source));
    },
  );

  app.patch(
    '/v1/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: "Change a source's settings",
        params,
        body: SourcePatch,
        response: { 200: SourceResponse, ...errorResponses },
      },
    },
    async (request) => {
      checkSourceSettings(request.body);
      if (typeof request.body.publicBaseUrl === 'string') checkUrl(request.body.publicBaseUrl, 'body.publicBaseUrl');
      assertPatterns(request.body.include);
      assertPatterns(request.body.exclude);
      if (request.body.baseUrl !== undefined || request.body.seeds !== undefined || request.body.publicBaseUrl !== undefined) {
        const current = await app.cairn.store.sources.findById(request.params.id);
        if (current && current.kind !== 'web')
          throw new CairnError(
            'invalid_request',
            `The source ${current.name} is a ${current.kind} source: it is read from a directory, so it has no web address or seeds to change.`,
          );
      }
      if (request.body.name) {
        const named = await app.cairn.store.sources.findByName(request.body.name);
        if (named && named.id !== request.params.id)
          throw new CairnError('source_exists', `A source named ${JSON.stringify(request.body.name)} exists already.`);
      }
      const source = await app.cairn.store.sources.update(request.params.id, request.body).catch((error: unknown) => {
        // A rename that another request's took first: the unique name decides, not the check above.
        if ((error as { code?: unknown }).code === '23505' && request.body.name)
          throw new CairnError('source_exists', `A source named ${JSON.stringify(request.body.name)} exists already.`);
        throw error;
      });
      if (!source) throw new CairnError('source_not_found', `No source has the id ${JSON.stringify(request.params.id)}.`);
      return sourceJson(source);
    },
  );

  app.delete(
    '/v1/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'Delete a source and everything ingested from it',
        params,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { store, runner } = app.cairn;
      // Its runs stop first (recorded as cancelled, with the reason): a page they stored after
      // the delete would have no source to belong to, and fail the run with a database error.
      const cancelled = await store.runs.cancelOfSource(request.params.id, deletedSourceReason);
      for (const run of cancelled)
        await runner
          .cancel?.(run.id)
          .catch((error: unknown) => request.log.warn({ err: error, runId: run.id }, 'could not signal the runner'));
      if (!(await store.sources.delete(request.params.id)))
        throw new CairnError('source_not_found', `No source has the id ${JSON.stringify(request.params.id)}.`);
      return reply.status(204).send(null);
    },
  );
};
