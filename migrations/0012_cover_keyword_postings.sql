-- The keyword list reads the strongest postings of each query term (keywordSearchQuery):
-- with the chunk and its source in the index itself, it reads them from the index alone
-- (an index-only scan) where it fetched each posting's row from the table, scattered over
-- as many pages as postings. Starter corpus, p50 of the keyword statement: PGlite 1.4 ->
-- 1.15 ms, server Postgres 0.9 -> 0.65 ms. An index-only scan skips the table for the pages
-- VACUUM has marked all-visible: DocumentsRepository.refreshStatistics vacuums the postings
-- at the end of each run (and autovacuum does on server Postgres); until then, on a database
-- made before this migration, the planner reads the table as before (it knows from the
-- visibility map that few pages are all-visible). On a large server corpus the index is
-- built while writes to the postings wait (a migration is one transaction).
create index keyword_postings_term_idx on keyword_postings (term, weight desc) include (chunk_id, source_id);
drop index keyword_postings_impact_idx;
