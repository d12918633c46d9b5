import type { Database } from './database.js';
import { deleteOrphanEmbeddings } from './documents-repository.js';
import { lockVectorHashes } from './embeddings-repository.js';
import type { RunStatus } from './runs-repository.js';
import { isUuid } from './is-uuid.js';

export interface SourceRecord {
  id: string;
  name: string;
  kind: 'web' | 'directory';
  baseUrl: string;
  /**
   * Where the pages are published, when `baseUrl` is a copy (a mirror, a staging site, a
   * static build): pages are fetched at `baseUrl` but stored, cited and scoped under this
   * address. Null when they are published where they are fetched.
   */
  publicBaseUrl: string | null;
  seeds: string[];
  include: string[];
  exclude: string[];
  maxPages: number;
  crawlDelayMs: number;
  schedule: string | null;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type SourceInput = Pick<SourceRecord, 'name' | 'kind' | 'baseUrl'> &
  Partial<Pick<SourceRecord, 'publicBaseUrl' | 'seeds' | 'include' | 'exclude' | 'maxPages' | 'crawlDelayMs' | 'schedule' | 'enabled'>>;

export interface SourceWithStatistics extends SourceRecord {
  documents: number;
  tombstoned: number;
  stale: number;
  chunks: number;
  oldestFetch: Date | null;
  newestFetch: Date | null;
  /** The newest run of this source (timestamps as JSON text). */
  lastRun: { id: string; status: RunStatus; createdAt: string; finishedAt: string | null } | null;
}

/** How many active pages of a source were last fetched within one age bucket (see pagesByAge). */
export interface PagesByAge {
  sourceId: string;
  /** 0 for pages younger than the first threshold, i for those at least `thresholdsDays[i - 1]` days old and younger than the next. */
  bucket: number;
  pages: number;
}

/** The fields of a source that update() changes, and their columns. */
const updatableColumns = {
  name: 'name',
  baseUrl: 'base_url',
  seeds: 'seeds',
  include: 'include',
  exclude: 'exclude',
  maxPages: 'max_pages',
  crawlDelayMs: 'crawl_delay_ms',
  schedule: 'schedule',
  enabled: 'enabled',
  publicBaseUrl: 'public_base_url',
} as const satisfies Partial<Record<keyof SourceInput, string>>;

const columns = `id, name, kind, base_url as "baseUrl", public_base_url as "publicBaseUrl", seeds, include, exclude, max_pages as "maxPages",
  crawl_delay_ms as "crawlDelayMs", schedule, enabled, created_at as "createdAt", updated_at as "updatedAt"`;

export class SourcesRepository {
  constructor(private readonly database: Database) {}

  /** Creates the source, or updates the one with the same name, and returns it. */
  async upsert(input: SourceInput): Promise<SourceRecord> {
    const rows = await this.insert(
      input,
      `on conflict (name) do update set kind = excluded.kind, base_url = excluded.base_url,
         public_base_url = excluded.public_base_url, seeds = excluded.seeds,
         include = excluded.include, exclude = excluded.exclude, max_pages = excluded.max_pages,
         crawl_delay_ms = excluded.crawl_delay_ms, schedule = excluded.schedule, enabled = excluded.enabled, updated_at = now()`,
    );
    return rows[0]!;
  }

  /**
   * Creates the source, unless one has its name: then undefined, and the existing one is left
   * as it was (one statement, so that of two creations at once exactly one succeeds).
   */
  async create(input: SourceInput): Promise<SourceRecord | undefined> {
    return (await this.insert(input, 'on conflict (name) do nothing'))[0];
  }

  private insert(input: SourceInput, onConflict: string): Promise<SourceRecord[]> {
    return this.database.query<SourceRecord>(
      `insert into sources (name, kind, base_url, seeds, include, exclude, max_pages, crawl_delay_ms, schedule, enabled, public_base_url)
       values ($1, $2, $3, $4, $5, $6, coalesce($7, 1000), coalesce($8, 1000), $9, coalesce($10, true), $11)
       ${onConflict}
       returning ${columns}`,
      [
        input.name,
        input.kind,
        input.baseUrl,
        input.seeds ?? [],
        input.include ?? [],
        input.exclude ?? [],
        input.maxPages ?? null,
        input.crawlDelayMs ?? null,
        input.schedule ?? null,
        input.enabled ?? null,
        input.publicBaseUrl ?? null,
      ],
    );
  }

  async findByName(name: string): Promise<SourceRecord | undefined> {
    const rows = await this.database.query<SourceRecord>(`select ${columns} from sources where name = $1`, [name]);
    return rows[0];
  }

  async list(): Promise<SourceRecord[]> {
    return this.database.query<SourceRecord>(`select ${columns} from sources order by name`);
  }

  async findById(id: string): Promise<SourceRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.database.query<SourceRecord>(`select ${columns} from sources where id = $1`, [id]);
    return rows[0];
  }

  /** Changes the given settings of a source; returns undefined when there is no such source. */
  /**
   * Changes the fields given, and only those: one statement that sets their columns, so that two
   * changes of different fields at once both stay (reading the row and writing every column back
   * kept only the last: probe 33 M3).
   */
  async update(id: string, changes: Partial<Omit<SourceInput, 'kind'>>): Promise<SourceRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const given = (Object.keys(updatableColumns) as (keyof typeof updatableColumns)[]).filter((field) => changes[field] !== undefined);
    if (given.length === 0) return this.findById(id);
    const assignments = given.map((field, index) => `${updatableColumns[field]} = $${index + 2}`);
    const rows = await this.database.query<SourceRecord>(
      `update sources set ${assignments.join(', ')}, updated_at = now() where id = $1 returning ${columns}`,
      [id, ...given.map((field) => changes[field])],
    );
    return rows[0];
  }

  /**
   * Deletes a source with its documents, passages and keyword postings, and the vectors that
   * no other source's passages share, in one transaction. Search relies on every vector
   * belonging to a passage (see denseSearchQuery): vectors left behind would crowd the
   * nearest-first list.
   */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.database.transaction(async (transaction) => {
      // The passages go first, returning their texts: a page committed between a read of the
      // texts and the source's delete would otherwise leave its vectors behind.
      const removed = await transaction.query<{ contentHash: string }>(
        'delete from chunks where source_id = $1 returning content_hash as "contentHash"',
        [id],
      );
      const rows = await transaction.query('delete from sources where id = $1 returning id', [id]);
      const hashes = [...new Set(removed.map((row) => row.contentHash))];
      await lockVectorHashes(transaction, hashes, this.database.runtime);
      await deleteOrphanEmbeddings(transaction, hashes);
      return rows.length > 0;
    });
  }

  /**
   * Active pages of each source counted by days since their last fetch, in the buckets that
   * the ascending `thresholdsDays` cut (a page at least the last threshold old is in the
   * last bucket, as `stale` counts it). Sources and buckets without pages are left out.
   */
  async pagesByAge(thresholdsDays: readonly number[]): Promise<PagesByAge[]> {
    return this.database.query<PagesByAge>(
      `select source_id as "sourceId",
         width_bucket(extract(epoch from now() - fetched_at)::float8, $1::float8[]) as bucket, count(*)::int as pages
       from documents where status = 'active' and fetched_at is not null
       group by 1, 2 order by 1, 2`,
      [thresholdsDays.map((days) => days * 86_400)],
    );
  }

  /**
   * Each source with its document and passage counts, the span of its crawl times, how
   * many active pages were last fetched more than `staleAfterDays` ago, and its last run.
   */
  async listWithStatistics(staleAfterDays = 30): Promise<SourceWithStatistics[]> {
    return this.database.query(
      `select ${columns.replace(/(^|,\s*)(\w+)/g, '$1s.$2')},
         (select count(*)::int from documents d where d.source_id = s.id and d.status = 'active'
            and d.fetched_at < now() - make_interval(days => $1)) as stale,
         (select json_build_object('id', r.id, 'status', r.status, 'createdAt', r.created_at, 'finishedAt', r.finished_at)
            from ingest_runs r where r.source_id = s.id order by r.created_at desc limit 1) as "lastRun",
         (select count(*)::int from documents d where d.source_id = s.id and d.status = 'active') as documents,
         (select count(*)::int from documents d where d.source_id = s.id and d.status = 'tombstoned') as tombstoned,
         (select count(*)::int from chunks c where c.source_id = s.id) as chunks,
         (select min(fetched_at) from documents d where d.source_id = s.id and d.status = 'active') as "oldestFetch",
         (select max(fetched_at) from documents d where d.source_id = s.id and d.status = 'active') as "newestFetch"
       from sources s order by s.name`,
      [staleAfterDays],
    );
  }
}
