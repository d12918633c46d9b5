import type { Queryable } from './database.js';
import { isUuid } from './is-uuid.js';

/** A passage of a stored page, in reading order. */
export interface StoredPassage {
  chunkId: string;
  ordinal: number;
  heading: string;
  headingPath: string[];
  /** The section's anchor on the page (`url#anchor`), when it has one. */
  anchor: string | null;
  text: string;
  tokenCount: number;
}

/** A stored page (or note) as a reader sees it: what it is, where it is cited, and its passages in order. */
export interface StoredPage {
  id: string;
  /** Where citations link: the page, or for a note the original it summarises. */
  url: string;
  kind: 'article' | 'note';
  title: string;
  author: string | null;
  source: string;
  publishedAt: Date | null;
  fetchedAt: Date | null;
  topics: string[];
  frameworks: string[];
  /** `tombstoned`: the page vanished from its site (404, 410, gone from a complete crawl); its passages are gone. */
  status: 'active' | 'tombstoned';
  passages: StoredPassage[];
}

/** A page of a source, as a source's listing shows it. */
export interface SourceDocument {
  id: string;
  url: string;
  kind: 'article' | 'note';
  title: string;
  author: string | null;
  publishedAt: Date | null;
  fetchedAt: Date | null;
  passages: number;
}

const pageColumns = `d.id, d.url, d.kind, d.title, d.author, s.name as source, d.published_at as "publishedAt",
  d.fetched_at as "fetchedAt", d.topics, d.frameworks, d.status`;

/** The forms a page's URL may be given in: as stored, without its fragment, with or without the trailing slash. */
function urlForms(url: string): string[] {
  const bare = url.trim().replace(/#.*$/s, '');
  const forms = new Set([bare]);
  if (!bare.includes('?')) forms.add(bare.endsWith('/') ? bare.slice(0, -1) : `${bare}/`);
  return [...forms];
}

/**
 * What a reader (the MCP server's `get_document`, a source's resource) reads of the stored
 * pages: one page with its passages in order, found by its id, by the id of one of its
 * passages (what a citation carries) or by the URL a citation links; and a source's pages.
 */
export class ReadingRepository {
  constructor(private readonly database: Queryable) {}

  /**
   * The page with this id, or the page of the passage with this id (then `focusChunkId` is
   * that passage); undefined when neither exists.
   */
  async page(id: string): Promise<(StoredPage & { focusChunkId: string | null }) | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.database.query<Omit<StoredPage, 'passages'> & { focusChunkId: string | null }>(
      `select ${pageColumns}, case when d.id = $1 then null else $1::uuid end as "focusChunkId"
       from documents d join sources s on s.id = d.source_id
       where d.id = $1 or d.id = (select c.document_id from chunks c where c.id = $1)
       limit 1`,
      [id],
    );
    if (!row) return undefined;
    const passages = await this.database.query<StoredPassage>(
      `select id as "chunkId", ordinal, heading, heading_path as "headingPath", anchor, text, token_count as "tokenCount"
       from chunks where document_id = $1 order by ordinal`,
      [row.id],
    );
    return { ...row, passages };
  }

  /**
   * The ids of the pages whose citation URL (or canonical URL) is `url`, fragment ignored,
   * with or without a trailing slash: most recently crawled first, active before vanished.
   * Several notes may summarise one original, so there can be more than one.
   */
  async pageIdsForUrl(url: string, limit = 10): Promise<string[]> {
    const rows = await this.database.query<{ id: string }>(
      `select d.id from documents d
       where d.url = any($1::text[]) or d.locator = any($1::text[])
       order by (d.status = 'active') desc, d.fetched_at desc nulls last, d.title, d.id
       limit $2`,
      [urlForms(url), limit],
    );
    return rows.map((row) => row.id);
  }

  /** A source's active pages, by title, at most `limit` of them, and how many it has in all. */
  async documentsOfSource(sourceName: string, limit: number): Promise<{ total: number; documents: SourceDocument[] }> {
    const documents = await this.database.query<SourceDocument>(
      `select d.id, d.url, d.kind, d.title, d.author, d.published_at as "publishedAt", d.fetched_at as "fetchedAt",
         (select count(*)::int from chunks c where c.document_id = d.id) as passages
       from documents d join sources s on s.id = d.source_id
       where s.name = $1 and d.status = 'active'
       order by d.title, d.id
       limit $2`,
      [sourceName, limit],
    );
    const [count] = await this.database.query<{ total: number }>(
      `select count(*)::int as total from documents d join sources s on s.id = d.source_id where s.name = $1 and d.status = 'active'`,
      [sourceName],
    );
    return { total: count?.total ?? 0, documents };
  }
}
