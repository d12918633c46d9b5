-- One rating per answer per rater: a client that retries POST /v1/feedback (a timeout, a double
-- click) or changes its mind replaces its rating instead of adding a second one, so the review
-- and any count of thumbs stay true. `rater` is the stored API key that rated, 'admin' for
-- CAIRN_ADMIN_KEY and 'open' when the API runs without keys (loopback): there every caller
-- is the same rater. Ratings from before this migration keep a null rater and stay as they are
-- (a unique index treats nulls as distinct).
alter table feedback add column rater text;
create unique index feedback_rater_idx on feedback (message_id, rater);
