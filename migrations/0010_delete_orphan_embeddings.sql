-- Vectors no passage has any more. Deleting a source removed its documents, passages and
-- postings but left its vectors; the dense list now reads the nearest vectors before it
-- joins them to their passages (denseSearchQuery), and such vectors would take places in
-- it. Deleting a source now deletes them too (SourcesRepository.delete); this removes those
-- left behind before.
delete from embeddings e where not exists (select 1 from chunks c where c.content_hash = e.content_hash);
delete from unindexed_embeddings e where not exists (select 1 from chunks c where c.content_hash = e.content_hash);
