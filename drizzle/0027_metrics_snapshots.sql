-- The Overview's figures for a shop and a range, kept once computed: on a shop of a million orders
-- they take seconds to compute and milliseconds to read. A snapshot is served while it is recent,
-- recomputed after the page has answered once it is not, and removed when an import or a segment
-- refresh changes what it was computed from (lib/metrics/metrics-snapshots.ts).
CREATE TABLE "metrics_snapshots" (
	"shop_id" uuid NOT NULL,
	"key" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"compute_ms" integer NOT NULL,
	"body" jsonb NOT NULL,
	CONSTRAINT "metrics_snapshots_shop_id_key_pk" PRIMARY KEY("shop_id","key")
);
--> statement-breakpoint
ALTER TABLE "metrics_snapshots" ADD CONSTRAINT "metrics_snapshots_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Tenant rows: forced row-level security by shop, like every other tenant table.
SELECT regulars_protect_tenant_table('metrics_snapshots'::regclass);
