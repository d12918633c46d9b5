import type { Queryable } from './database.js';

export interface SourceRecord {
  id: string;
  name: string;
  kind: 'web' | 'directory';
  baseUrl: string;
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
  Partial<Pick<SourceRecord, 'seeds' | 'include' | 'exclude' | 'maxPages' | 'crawlDelayMs' | 'schedule' | 'enabled'>>;

const columns = `id, name, kind, base_url as "baseUrl", seeds, include, exclude, max_pages as "maxPages",
  crawl_delay_ms as "crawlDelayMs", schedule, enabled, created_at as "createdAt", updated_at as "updatedAt"`;

export class SourcesRepository {
  constructor(private readonly database: Queryable) {}

  /** Creates the source, or updates the one with the same name, and returns it. */
  async upsert(input: SourceInput): Promise<SourceRecord> {
    const rows = await this.database.query<SourceRecord>(
      `insert into sources (name, kind, base_url, seeds, include, exclude, max_pages, crawl_delay_ms, schedule, enabled)
       values ($1, $2, $3, $4, $5, $6, coalesce($7, 1000), coalesce($8, 1000), $9, coalesce($10, true))
       on conflict (name) do update set kind = excluded.kind, base_url = excluded.base_url, seeds = excluded.seeds,
         include = excluded.include, exclude = excluded.exclude, max_pages = excluded.max_pages,
         crawl_delay_ms = excluded.crawl_delay_ms, schedule = excluded.schedule, enabled = excluded.enabled, updated_at = now()
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
      ],
    );
    return rows[0]!;
  }

  async findByName(name: string): Promise<SourceRecord | undefined> {
    const rows = await this.database.query<SourceRecord>(`select ${columns} from sources where name = $1`, [name]);
    return rows[0];
  }

  async list(): Promise<SourceRecord[]> {
    return this.database.query<SourceRecord>(`select ${columns} from sources order by name`);
  }
}
