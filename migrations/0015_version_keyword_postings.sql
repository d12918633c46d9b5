-- Search holds a small corpus's keyword postings in memory as well as its passages and vectors
-- (CorpusMemory in packages/store), and trusts them while corpus_version stands still
-- (migration 0014). Postings are written and deleted with their passage, in its transaction,
-- so a change to them moved the version already; this trigger makes that hold for any writer.
create trigger corpus_changed after insert or update or delete or truncate on keyword_postings
  for each statement execute function note_corpus_change();
alter table keyword_postings enable always trigger corpus_changed;
