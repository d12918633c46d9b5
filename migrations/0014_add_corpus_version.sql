-- A number that moves whenever what search may hold in memory changes (CorpusMemory in
-- packages/store): a passage, its page, its source or a vector. Search reads it in the same
-- statement as the keyword list, so in the same snapshot as the list: a version equal to the
-- one the memory was loaded at means the same passages, pages, sources and vectors, whichever
-- process wrote in between. It belongs to this database alone (a transaction id would move
-- with writes to any database of the server) and to these tables alone (a conversation's
-- messages do not move it). The epoch is random, so that a database dropped and made again, or
-- restored from a dump, never shows a version a running process holds with other contents.
create table corpus_version (
  singleton boolean primary key default true check (singleton),
  version bigint not null,
  epoch text not null
);
insert into corpus_version (version, epoch) values (0, gen_random_uuid()::text);

-- How a writing transaction moves it, once, at its commit. Each write statement on the corpus's
-- tables (TRUNCATE too) runs a statement-level trigger, which notes the first in a transaction
-- as one row of corpus_version_pending (a transaction-local setting says it was noted; a
-- savepoint rolled back takes both back, and the next write notes it again). That row's
-- trigger is deferred to the commit: it bumps the version and removes the row. So a bulk write
-- costs one check a statement, not an event a row.
--
-- What it costs: the version's row is locked from the bump to the end of the commit, so
-- writing transactions on the corpus commit one after another (each page a run writes is one);
-- with SET CONSTRAINTS ALL IMMEDIATE (no code here uses it) the bump and its lock come at the
-- first write instead. Writes that change nothing the memory holds (a page's fetch time, a
-- source saved unchanged) move the version all the same: the memory is then loaded again.
create table corpus_version_pending (
  id bigint generated always as identity primary key
);

create function note_corpus_change() returns trigger
language plpgsql security definer set search_path from current as $$
begin
  if current_setting('cairn.corpus_change_noted', true) = 'on' then
    return null;
  end if;
  perform set_config('cairn.corpus_change_noted', 'on', true);
  insert into corpus_version_pending default values;
  return null;
end;
$$;

create function bump_corpus_version() returns trigger
language plpgsql security definer set search_path from current as $$
begin
  update corpus_version set version = version + 1;
  delete from corpus_version_pending where id = new.id;
  return null;
end;
$$;

create constraint trigger corpus_version_bump after insert on corpus_version_pending
  deferrable initially deferred for each row execute function bump_corpus_version();

create trigger corpus_changed after insert or update or delete or truncate on sources
  for each statement execute function note_corpus_change();
create trigger corpus_changed after insert or update or delete or truncate on documents
  for each statement execute function note_corpus_change();
create trigger corpus_changed after insert or update or delete or truncate on chunks
  for each statement execute function note_corpus_change();
create trigger corpus_changed after insert or update or delete or truncate on embeddings
  for each statement execute function note_corpus_change();
create trigger corpus_changed after insert or update or delete or truncate on unindexed_embeddings
  for each statement execute function note_corpus_change();

-- Also in a session with session_replication_role = replica (a logical replica applying
-- changes, a data-only restore that disables triggers by that setting).
alter table sources enable always trigger corpus_changed;
alter table documents enable always trigger corpus_changed;
alter table chunks enable always trigger corpus_changed;
alter table embeddings enable always trigger corpus_changed;
alter table unindexed_embeddings enable always trigger corpus_changed;
alter table corpus_version_pending enable always trigger corpus_version_bump;
