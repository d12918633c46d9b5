-- A source crawled at one address and published at another (a mirror, a staging copy, a
-- static build served inside a firewall): `base_url` is where its pages are fetched,
-- `public_base_url` the address they are stored, cited and scoped under. Null: the same.
alter table sources add column public_base_url text;
