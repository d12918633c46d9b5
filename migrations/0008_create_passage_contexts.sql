-- The sentence a chat model wrote to situate a passage in its page (CAIRN_PASSAGE_CONTEXT=llm),
-- generated once per passage and model. `passage_hash` is the hash of the passage's page
-- title, heading path and text: not of what is embedded, which holds the sentence itself.
create table passage_contexts (
  passage_hash text not null,
  model text not null,
  context text not null,
  created_at timestamptz not null default now(),
  primary key (passage_hash, model)
);
-- The sentence a chunk was embedded with (null: none), so that re-embedding the stored
-- passages rebuilds the very input their content hash was taken of.
alter table chunks add column context text;
