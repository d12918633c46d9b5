-- Vectors stored but not yet in their model's HNSW index. On PGlite (one WebAssembly
-- thread) inserting a vector into the index costs about 5 ms, most of an ingestion run's
-- time, while building the index over the same vectors in one go costs a sixth of that.
-- So an embedded database keeps a run's new vectors here, where search scans them exactly
-- beside its walk of the index, and moves them into `embeddings` when the run ends,
-- rebuilding the index when they are many (EmbeddingsRepository.indexPending,
-- VectorIndexing; docs/benchmarks.md). A vector is in one of the two tables, not both;
-- like `embeddings`, this table is also the embedding cache.
-- The same columns as `embeddings` (vectors stored PLAIN too), none of its indexes.
create table unindexed_embeddings (
  like embeddings including defaults including constraints including storage,
  primary key (model, content_hash),
  foreign key (model) references embedding_models (id) on delete cascade
);
