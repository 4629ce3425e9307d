-- Every tenant table's policy calls regulars_current_shop(), and a function not declared PARALLEL
-- SAFE makes the whole query it appears in run in one process: every query of the application ran
-- serially, even the aggregates over a million orders that Postgres would otherwise split across
-- workers (docs/decisions/005-segments.md). These functions only read a setting of the session,
-- which Postgres hands to its parallel workers with the role and every other setting, so they give
-- a worker the same answer as the leader. (regulars_uuid7 stays restricted to the leader: 0014.)
ALTER FUNCTION regulars_current_shop() PARALLEL SAFE;
--> statement-breakpoint
ALTER FUNCTION regulars_current_user() PARALLEL SAFE;
--> statement-breakpoint
ALTER FUNCTION regulars_current_api_key_hash() PARALLEL SAFE;
--> statement-breakpoint
ALTER FUNCTION regulars_current_invitation() PARALLEL SAFE;
