-- Storing a document's keyword postings (about 55 a passage) was the dearest part of
-- ingest: each row checked its chunk through a foreign key and went into three indexes.
-- Search reads postings only through keyword_postings_impact_idx, and a chunk's terms are
-- unique by construction (one weight per term), so the primary key only cost time. The
-- foreign key's one job, deleting a chunk's postings with it, is done by a statement
-- trigger instead, which costs nothing when rows are inserted. Measured on PGlite, 400
-- pages of the fixture site: postings 3.0 s -> 1.4 s (docs/benchmarks.md).
alter table keyword_postings drop constraint keyword_postings_chunk_id_fkey;
alter table keyword_postings drop constraint keyword_postings_pkey;

create function delete_postings_of_deleted_chunks() returns trigger language plpgsql as $$
begin
  delete from keyword_postings p using deleted_chunks d where p.chunk_id = d.id;
  return null;
end
$$;

-- Fires for every way a chunk goes: a document replaced or tombstoned, and the cascades
-- from deleting a document or a source.
create trigger chunks_delete_postings after delete on chunks
  referencing old table as deleted_chunks
  for each statement execute function delete_postings_of_deleted_chunks();
