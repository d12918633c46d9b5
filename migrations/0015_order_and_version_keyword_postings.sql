-- Search holds a small corpus's keyword postings in memory as well as its passages and vectors
-- (CorpusMemory in packages/store), ranks the keyword list there as the statements rank it, and
-- trusts it while corpus_version stands still (migration 0014).
--
-- 1. The term index orders a term's postings of equal weight by their passage (chunk_id moves
--    from the included columns into the key), and the keyword list reads each term's postings
--    in that order: which of equal-weight postings fall within a term's depth no longer depends
--    on the rows' places in the table (a VACUUM FULL, a HOT update) or on the plan (a bitmap
--    scan and a sort where the index is missing), and the memory reads them in the same order.
--    The index may be missing (a bulk run drops it and builds it again at its end, see
--    postings-index.ts): it is built here either way.
drop index if exists keyword_postings_term_idx;
create index keyword_postings_term_idx on keyword_postings (term, weight desc, chunk_id) include (source_id, document_id);

-- 2. Postings are written and deleted with their passage, in its transaction, so a change to
--    them moved the version already; this trigger makes that hold for any writer.
create trigger corpus_changed after insert or update or delete or truncate on keyword_postings
  for each statement execute function note_corpus_change();
alter table keyword_postings enable always trigger corpus_changed;
