CREATE TYPE "public"."order_status" AS ENUM('paid', 'pending', 'partially_refunded', 'refunded', 'cancelled', 'failed');--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "refunded_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "status" "order_status" DEFAULT 'paid' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "country" char(2);--> statement-breakpoint
-- Sales: the orders that count as sales, with what the shop kept. Revenue, segments, predicted
-- value and metrics read this view, so "net of refunds, without cancelled orders" is written once.
-- security_invoker: the reader's row-level security applies, as if it read orders itself.
CREATE VIEW "sales" WITH (security_invoker = true) AS
  SELECT shop_id, id, external_id, customer_id, placed_at, currency, channel, status, total_minor, refunded_minor,
         greatest(total_minor - refunded_minor, 0) AS net_minor
    FROM orders
   WHERE status NOT IN ('refunded', 'cancelled', 'failed');--> statement-breakpoint
GRANT SELECT ON "sales" TO regulars_app;
