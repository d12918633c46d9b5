-- Sparse vectors beside dense ones. A model's vectors are either pgvector `vector`s (at
-- most 2,000 dimensions, the HNSW limit) or `sparsevec`s: the non-zero entries of a vector
-- in a far larger space, one index per feature (local-semantic-v2 keeps each term of a
-- passage at its own index, where a 1,024-dimension dense table made terms collide). A row
-- holds exactly one of the two columns, the one its model's `vector_type` names; each model
-- still gets its own partial HNSW index (cosine), on `sparse_embedding::sparsevec(dimensions)`
-- for a sparse model. An HNSW index takes sparse vectors of at most 1,000 non-zero entries.
alter table embedding_models add column vector_type text not null default 'vector' check (vector_type in ('vector', 'sparsevec'));
alter table embedding_models drop constraint embedding_models_dimensions_check;
alter table embedding_models add constraint embedding_models_dimensions_check check (
  (vector_type = 'vector' and dimensions between 1 and 2000) or (vector_type = 'sparsevec' and dimensions between 1 and 1000000000)
);

alter table embeddings alter column embedding drop not null;
alter table embeddings add column sparse_embedding sparsevec;
-- Inline, as the dense column: out-of-line (TOAST) vectors make the planner skip the index.
alter table embeddings alter column sparse_embedding set storage plain;
alter table embeddings add constraint embeddings_one_vector check (num_nonnulls(embedding, sparse_embedding) = 1);

alter table unindexed_embeddings alter column embedding drop not null;
alter table unindexed_embeddings add column sparse_embedding sparsevec;
alter table unindexed_embeddings alter column sparse_embedding set storage plain;
alter table unindexed_embeddings add constraint unindexed_embeddings_one_vector check (num_nonnulls(embedding, sparse_embedding) = 1);
