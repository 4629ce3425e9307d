-- Time-ordered ids (UUIDv7, RFC 9562) as the default of the tables imports grow: the Unix time in
-- milliseconds, the version, the fraction of the millisecond in 12 bits (ids made one after another
-- sort in that order), then the variant and 62 random bits taken from a random UUID. Bulk writers
-- make their ids in the application instead (lib/db/uuid7.ts), which saves the call per row.
CREATE OR REPLACE FUNCTION regulars_uuid7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    overlay(uuid_send(gen_random_uuid())
      PLACING int8send((floor(extract(epoch FROM t) * 1000)::bigint << 16) | 28672 | ((extract(microseconds FROM t)::bigint % 1000) * 4096 / 1000))
      FROM 1 FOR 8),
    'hex')::uuid
  FROM (SELECT clock_timestamp() AS t) AS now
$$;
--> statement-breakpoint
-- Order lines: the key to shops checked on every line what the key to the order already implies;
-- the key to the order now includes the shop, so a line cannot point at another shop's order.
ALTER TABLE "order_items" DROP CONSTRAINT "order_items_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "order_items" DROP CONSTRAINT "order_items_order_id_orders_id_fk";
--> statement-breakpoint
ALTER TABLE "customers" ALTER COLUMN "id" SET DEFAULT regulars_uuid7();--> statement-breakpoint
ALTER TABLE "order_items" ALTER COLUMN "id" SET DEFAULT regulars_uuid7();--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_pkey";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "id" SET DEFAULT regulars_uuid7();--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_shop_id_id_pk" PRIMARY KEY("shop_id","id");--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_fk" FOREIGN KEY ("shop_id","order_id") REFERENCES "public"."orders"("shop_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_shop_phone" ON "customers" USING btree ("shop_id","phone") WHERE phone is not null;--> statement-breakpoint
-- Imports stage validated rows in temporary tables of their own transaction (lib/db/copy-rows.ts).
-- PUBLIC may create them by default; this says so for the application's role, where it can.
DO $$
BEGIN
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO regulars_app', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'Grant TEMPORARY on this database to regulars_app: imports stage rows in temporary tables.';
END $$;
