-- The one schema for server Postgres and PGlite. Forward-only: a later change is a new file.
create extension if not exists vector;

-- Where documents come from: a crawled site or a directory of notes.
create table sources (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  kind text not null check (kind in ('web', 'directory')),
  base_url text not null,
  seeds text[] not null default '{}',
  include text[] not null default '{}',
  exclude text[] not null default '{}',
  max_pages integer not null default 1000 check (max_pages > 0),
  crawl_delay_ms integer not null default 1000 check (crawl_delay_ms >= 0),
  schedule text,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One page or note. `locator` identifies it within its source (canonical URL, or a path in
-- a directory source); `url` is where a citation links (for a note: the original it summarises).
create table documents (
  id uuid primary key default gen_random_uuid(),
  source_id uuid not null references sources (id) on delete cascade,
  locator text not null,
  url text not null,
  kind text not null default 'article' check (kind in ('article', 'note')),
  title text not null,
  author text,
  published_at timestamptz,
  topics text[] not null default '{}',
  frameworks text[] not null default '{}',
  etag text,
  last_modified text,
  content_hash text not null,
  status text not null default 'active' check (status in ('active', 'tombstoned')),
  fetched_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (source_id, locator)
);
create index documents_author_idx on documents (author);

-- Passages: a section of a document, bounded in tokens. `source_id` is copied from the
-- document so that a source filter needs no extra join.
create table chunks (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  source_id uuid not null references sources (id) on delete cascade,
  ordinal integer not null,
  heading_path text[] not null default '{}',
  heading text not null default '',
  anchor text,
  text text not null,
  token_count integer not null,
  content_hash text not null,
  unique (document_id, ordinal)
);
create index chunks_content_hash_idx on chunks (content_hash);
create index chunks_source_idx on chunks (source_id);

-- The keyword index: BM25 term weights of each chunk (term frequency saturated and
-- normalised for length; the inverse document frequency is applied at query time).
-- Ordered by weight within a term, so a query reads only the strongest postings of each
-- of its terms, whatever the size of the corpus.
create table keyword_postings (
  term text not null,
  chunk_id uuid not null references chunks (id) on delete cascade,
  source_id uuid not null,
  weight real not null,
  primary key (term, chunk_id)
);
create index keyword_postings_impact_idx on keyword_postings (term, weight desc);
create index keyword_postings_chunk_idx on keyword_postings (chunk_id);
-- Document frequencies for IDF come from the planner's statistics: keep many terms.
alter table keyword_postings alter column term set statistics 1000;

-- Embedding models known to this database. Search reads the one `active` model; a new
-- model is `building` until every chunk has its vector.
create table embedding_models (
  id text primary key check (id ~ '^[A-Za-z0-9._:/@-]{1,100}$'),
  dimensions integer not null check (dimensions between 1 and 2000),
  status text not null check (status in ('building', 'active', 'retired')),
  created_at timestamptz not null default now(),
  activated_at timestamptz
);

-- Vectors keyed by model and content hash: this table is also the embedding cache, so a
-- text is embedded once per model however often it is crawled. Each model gets its own
-- partial HNSW index (cosine) on `embedding::vector(dimensions)`, created with the model.
create table embeddings (
  model text not null references embedding_models (id) on delete cascade,
  content_hash text not null,
  embedding vector not null,
  created_at timestamptz not null default now(),
  primary key (model, content_hash)
);
-- Keep vectors inline: out-of-line (TOAST) vectors make the planner skip the HNSW index.
alter table embeddings alter column embedding set storage plain;

create table ingest_runs (
  id uuid primary key default gen_random_uuid(),
  source_id uuid references sources (id) on delete set null,
  trigger text not null default 'cli' check (trigger in ('cli', 'api', 'schedule', 'startup')),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  counts jsonb not null default '{"discovered":0,"fetched":0,"unchanged":0,"skipped":0,"failed":0,"chunksAdded":0,"chunksRemoved":0}',
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index ingest_runs_created_idx on ingest_runs (created_at desc);

-- The per-URL ledger of a run.
create table ingest_run_items (
  id bigint generated always as identity primary key,
  run_id uuid not null references ingest_runs (id) on delete cascade,
  url text not null,
  http_status integer,
  outcome text not null check (outcome in ('changed', 'unchanged', 'skipped', 'failed', 'tombstoned')),
  chunks_added integer not null default 0,
  chunks_removed integer not null default 0,
  embedding_tokens integer not null default 0,
  error text,
  created_at timestamptz not null default now()
);
create index ingest_run_items_run_idx on ingest_run_items (run_id, id);

create table conversations (
  id uuid primary key default gen_random_uuid(),
  title text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- `sequence` orders the turns: timestamps can tie (PGlite's clock is coarse), ids are random.
create table messages (
  id uuid primary key default gen_random_uuid(),
  sequence bigint generated always as identity,
  conversation_id uuid not null references conversations (id) on delete cascade,
  role text not null check (role in ('user', 'assistant')),
  content text not null,
  citations jsonb not null default '[]',
  mode text check (mode in ('llm', 'extractive')),
  model text,
  created_at timestamptz not null default clock_timestamp()
);
create index messages_conversation_idx on messages (conversation_id, sequence);

create table feedback (
  id uuid primary key default gen_random_uuid(),
  message_id uuid not null references messages (id) on delete cascade,
  rating smallint not null check (rating in (-1, 1)),
  comment text,
  created_at timestamptz not null default now()
);
create index feedback_message_idx on feedback (message_id);

-- Keys are stored as SHA-256 hashes; `prefix` is the first characters, shown to tell keys apart.
create table api_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  prefix text not null,
  key_hash text not null unique,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
