-- Page-level keyword evidence (pageKeywordScores in search-queries.ts) sums, per page, each
-- query term's best posting among the postings the keyword list reads. With each posting's
-- page (document) beside its chunk in the term index, it reads them from the index alone,
-- where it joined every posting to its chunk. The term index may be missing (a bulk run drops
-- it and builds it again at its end, see postings-index.ts): it is built here either way, after
-- the rows are written, so the update does not keep an index it then drops. The migration holds
-- the postings table exclusively until it commits (searches and ingestion wait: about a second
-- per 300,000 postings), and a worker of the release before it cannot write postings after it
-- (their page is required): stop workers before upgrading, as for any migration.
drop index if exists keyword_postings_term_idx;
alter table keyword_postings add column document_id uuid;
update keyword_postings p set document_id = c.document_id from chunks c where c.id = p.chunk_id;
-- A posting whose chunk is gone is unreachable (search joins chunks); none should exist.
delete from keyword_postings where document_id is null;
alter table keyword_postings alter column document_id set not null;
create index keyword_postings_term_idx on keyword_postings (term, weight desc) include (chunk_id, source_id, document_id);
