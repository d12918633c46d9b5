-- A number that moves whenever what search may hold in memory changes (CorpusMemory in
-- packages/store): a passage, its page, its source or a vector. Search reads it in the same
-- statement as the keyword list, so in the same snapshot as the list: a version equal to the
-- one the memory was loaded at means the same passages, pages, sources and vectors, whichever
-- process wrote in between. It belongs to this database alone (a transaction id would move
-- with writes to any database of the server) and to these tables alone (a conversation's
-- messages do not move it).
--
-- The triggers are deferred to the commit and bump the row once per transaction: the row is
-- locked only for the moment of the commit, after every other lock the transaction takes, so
-- writers queue on it briefly and never deadlock on it.
create table corpus_version (
  singleton boolean primary key default true check (singleton),
  version bigint not null
);
insert into corpus_version (version) values (0);

create function bump_corpus_version() returns trigger
language plpgsql as $$
begin
  -- A transaction-local setting: gone at the transaction's end, so the next one bumps again.
  if current_setting('cairn.corpus_version_bumped', true) = 'on' then
    return null;
  end if;
  perform set_config('cairn.corpus_version_bumped', 'on', true);
  update corpus_version set version = version + 1;
  return null;
end;
$$;

create constraint trigger corpus_version_sources after insert or update or delete on sources
  deferrable initially deferred for each row execute function bump_corpus_version();
create constraint trigger corpus_version_documents after insert or update or delete on documents
  deferrable initially deferred for each row execute function bump_corpus_version();
create constraint trigger corpus_version_chunks after insert or update or delete on chunks
  deferrable initially deferred for each row execute function bump_corpus_version();
create constraint trigger corpus_version_embeddings after insert or update or delete on embeddings
  deferrable initially deferred for each row execute function bump_corpus_version();
create constraint trigger corpus_version_unindexed_embeddings after insert or update or delete on unindexed_embeddings
  deferrable initially deferred for each row execute function bump_corpus_version();
