-- Conversations belong to the API key that started them: a key without the admin scope
-- reads, continues and rates only its own (another key's are "not found" to it); admin
-- keys see all. Null: started with no keys in use (the API open on loopback, the CLI) or
-- by CAIRN_ADMIN_KEY (which has no row); once keys exist, only admin keys see those.
alter table conversations add column owner_key_id uuid references api_keys (id) on delete set null;
