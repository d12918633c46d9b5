-- The links a page held when it was last read. A conditional GET answered 304 carries no
-- page, so a re-crawl follows these instead: without them, pages reachable only through
-- an unchanged page were not found again, and a complete crawl tombstoned them.
alter table documents add column links text[];
