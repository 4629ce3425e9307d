-- Segment members and customer scores are derived data that every refresh rewrites in bulk: a
-- foreign key checked row by row cost more than the rows themselves (docs/decisions/005-segments.md),
-- so they carry none, and deleting customers or segments removes theirs below, once per statement.
ALTER TABLE "customer_scores" DROP CONSTRAINT "customer_scores_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_scores" DROP CONSTRAINT "customer_scores_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "segment_members" DROP CONSTRAINT "segment_members_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "segment_members" DROP CONSTRAINT "segment_members_segment_id_segments_id_fk";
--> statement-breakpoint
ALTER TABLE "segment_members" DROP CONSTRAINT "segment_members_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "segment_members" ADD COLUMN "reason_params" jsonb;--> statement-breakpoint
-- Reasons are rendered on read from their parameters (lib/segments/reason-sentences.ts). Members
-- computed before keep their sentence as it was, until the next refresh replaces them.
UPDATE "segment_members" SET "reason_params" = jsonb_build_object('sentence', "reason");--> statement-breakpoint
ALTER TABLE "customer_scores" DROP COLUMN "prediction_reason";--> statement-breakpoint
ALTER TABLE "customer_scores" DROP COLUMN "facts";--> statement-breakpoint
ALTER TABLE "segment_members" DROP COLUMN "reason";--> statement-breakpoint
ALTER TABLE "segment_members" DROP COLUMN "computed_at";--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_forget_deleted_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM segment_members m USING gone g WHERE m.shop_id = g.shop_id AND m.customer_id = g.id;
  DELETE FROM customer_scores s USING gone g WHERE s.shop_id = g.shop_id AND s.customer_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customers_forget_segments AFTER DELETE ON customers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_forget_deleted_customers();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_forget_deleted_segments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM segment_members m USING gone g WHERE m.shop_id = g.shop_id AND m.segment_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER segments_forget_members AFTER DELETE ON segments
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_forget_deleted_segments();
--> statement-breakpoint
-- Sales: the same orders as in 0009, compared as text. Under row-level security the planner reads
-- a column's statistics only through leakproof operators, and enum comparisons are not leakproof:
-- it guessed from the number of distinct statuses alone, and with a single one (every order paid,
-- the common case) estimated that no order is a sale, so every query on sales was planned as if it
-- read one row (a nested loop over a million orders for each cart). As text the estimate is the
-- default one: most orders are sales.
CREATE OR REPLACE VIEW "sales" WITH (security_invoker = true) AS
  SELECT shop_id, id, external_id, customer_id, placed_at, currency, channel, status, total_minor, refunded_minor,
         greatest(total_minor - refunded_minor, 0) AS net_minor
    FROM orders
   WHERE status::text NOT IN ('refunded', 'cancelled', 'failed');
--> statement-breakpoint
-- A refresh updates every customer's scores in place: with half of each page free, the new version
-- of a row fits beside the old one and the key's index needs no new entry (a HOT update).
ALTER TABLE "customer_scores" SET (fillfactor = 50);
