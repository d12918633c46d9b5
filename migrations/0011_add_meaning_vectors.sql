-- The meaning part of a sparse model's vectors, indexed on its own. local-semantic-v2's
-- vectors are 100 dense dimensions of meaning (indices 0 to 99) beside up to 800 lexical
-- entries; an HNSW index over the whole sparse vectors took 21 s to build over 6,000
-- passages on server Postgres and 48 s on PGlite (the end of a 1,000-page first ingest),
-- against 1 s over the 100 dimensions alone. A model that names `meaning_dimensions` keeps
-- the first that many dimensions of each vector in `meaning` too (null when they are all
-- zero), its partial HNSW index is built on `meaning::vector(meaning_dimensions)`, and the
-- dense list takes the meaning index's nearest passages together with the keyword list's
-- best and ranks them by the exact cosine of the whole vectors (denseSearchQuery).
alter table embedding_models add column meaning_dimensions integer check (meaning_dimensions between 1 and 2000 and meaning_dimensions < dimensions);

alter table embeddings add column meaning vector;
alter table embeddings alter column meaning set storage plain;
alter table unindexed_embeddings add column meaning vector;
alter table unindexed_embeddings alter column meaning set storage plain;

update embedding_models set meaning_dimensions = 100 where id = 'local-semantic-v2' and vector_type = 'sparsevec';

-- The model's index (named by hnswIndexName('local-semantic-v2')) moves to the meaning part.
-- The old one goes first: updating the vectors would insert every row into it again (about
-- 20 ms a vector).
drop index if exists embeddings_hnsw_03c3040e1043a022;

-- Vectors stored before: the meaning part read off the sparse vector's text
-- ({index:value,...}/dimensions, indices 1-based and ascending, so indices 1 to 100 are among
-- the first 100 entries); null when none of them is there.
create function pg_temp.meaning_of(vector sparsevec) returns vector language sql immutable as $$
  select case when bool_or(x.value is not null) then ('[' || string_agg(coalesce(x.value, 0)::text, ',' order by i.i) || ']')::vector end
  from generate_series(1, 100) as i(i)
  left join (
    select split_part(entry, ':', 1)::int as i, split_part(entry, ':', 2)::real as value
    from unnest((string_to_array(substring(vector::text from '^\{([^}]*)\}'), ','))[1:100]) as entry
  ) x on x.i = i.i
$$;
update embeddings set meaning = pg_temp.meaning_of(sparse_embedding) where model = 'local-semantic-v2' and sparse_embedding is not null;
update unindexed_embeddings set meaning = pg_temp.meaning_of(sparse_embedding) where model = 'local-semantic-v2' and sparse_embedding is not null;
drop function pg_temp.meaning_of(sparsevec);

create index embeddings_hnsw_03c3040e1043a022 on embeddings using hnsw ((meaning::vector(100)) vector_cosine_ops)
  where model = 'local-semantic-v2';
