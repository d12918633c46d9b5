import { Type, type Static } from 'typebox';
import { RunStatus } from './run-schemas.js';
import { nullableString } from './shared-schemas.js';

const regexList = Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
  maxItems: 50,
  description: 'Regular expressions matched against the normalised URL',
});

export const SourceBody = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Lower-case letters, digits, dot, dash, underscore' }),
    // No `pattern`: checkUrl judges every address (400 invalid_url, any case of the scheme).
    baseUrl: Type.String({
      maxLength: 2000,
      description: 'The site, an http or https URL; only URLs on its host and under its path are crawled',
    }),
    seeds: Type.Optional(
      Type.Array(Type.String({ maxLength: 2000, description: 'An http or https URL' }), {
        maxItems: 50,
        description: 'Sitemaps, feeds or start pages (default: /sitemap.xml and the base URL)',
      }),
    ),
    include: Type.Optional(regexList),
    exclude: Type.Optional(regexList),
    maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    crawlDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    schedule: Type.Optional(
      Type.Union([Type.String({ maxLength: 200, description: 'cron, five fields in UTC (checked: 400 invalid_schedule)' }), Type.Null()]),
    ),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SourceBody = Static<typeof SourceBody>;

/**
 * What POST /v1/sources accepts: SourceBody (the settings the admin UI's form edits, all
 * of them) and `publicBaseUrl`, which the form does not offer yet.
 */
export const SourceRequestBody = Type.Object(
  {
    ...SourceBody.properties,
    publicBaseUrl: Type.Optional(
      Type.Union([
        Type.String({
          maxLength: 2000,
          description:
            'An http or https URL: where the site is published, when baseUrl is a copy (a mirror, a staging site, a static build inside a firewall): pages are fetched at baseUrl but stored, cited and scoped under this address, so that canonical links to it are in scope. null (the default): published at baseUrl',
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type SourceRequestBody = Static<typeof SourceRequestBody>;

export const SourcePatch = Type.Partial(SourceRequestBody, { additionalProperties: false });
export type SourcePatch = Static<typeof SourcePatch>;

export const SourceResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('web'), Type.Literal('directory')]),
  baseUrl: Type.String(),
  publicBaseUrl: Type.Union([Type.String(), Type.Null()], { description: 'Where the pages are published and cited, if not at baseUrl' }),
  seeds: Type.Array(Type.String()),
  include: Type.Array(Type.String()),
  exclude: Type.Array(Type.String()),
  maxPages: Type.Integer(),
  crawlDelayMs: Type.Integer(),
  schedule: nullableString,
  enabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const SourceListResponse = Type.Object({
  staleAfterDays: Type.Integer({ description: 'A page fetched longer ago than this counts as stale' }),
  sources: Type.Array(
    Type.Intersect([
      SourceResponse,
      Type.Object({
        documents: Type.Integer(),
        tombstoned: Type.Integer({ description: 'pages that vanished' }),
        stale: Type.Integer({ description: 'active pages last fetched more than staleAfterDays ago' }),
        lastRun: Type.Union([
          Type.Object({
            id: Type.String(),
            status: RunStatus,
            createdAt: Type.String({ format: 'date-time' }),
            finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          }),
          Type.Null(),
        ]),
        chunks: Type.Integer(),
        oldestFetch: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        newestFetch: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        freshness: Type.Array(
          Type.Object({
            fromDays: Type.Integer({ description: 'The youngest age in the bucket, in days since the last crawl' }),
            toDays: Type.Union([Type.Integer(), Type.Null()], { description: 'The age the bucket stops short of; null: no limit' }),
            pages: Type.Integer(),
            stale: Type.Boolean({ description: 'The bucket of the stale pages (at least staleAfterDays old)' }),
          }),
          {
            description:
              'Active pages by days since their last crawl, youngest first: under a day, a day to a week, a week to staleAfterDays, then the stale ones; vanished pages are `tombstoned`',
          },
        ),
      }),
    ]),
  ),
});
