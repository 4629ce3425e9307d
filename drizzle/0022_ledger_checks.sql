CREATE TABLE "ledger_checks" (
	"shop_id" uuid NOT NULL,
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ok" boolean NOT NULL,
	"events" integer NOT NULL,
	"head_seq" bigint NOT NULL,
	"first_bad_seq" bigint,
	"reason" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_checks" ADD CONSTRAINT "ledger_checks_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_checks_shop_at" ON "ledger_checks" USING btree ("shop_id","checked_at");--> statement-breakpoint
-- Tenant rows: forced row-level security by shop, like every other tenant table.
SELECT regulars_protect_tenant_table('ledger_checks'::regclass);
