CREATE TABLE "campaign_decisions" (
	"shop_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"variant_id" uuid,
	CONSTRAINT "campaign_decisions_shop_id_run_id_customer_id_pk" PRIMARY KEY("shop_id","run_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_runs" (
	"shop_id" uuid NOT NULL,
	"id" uuid PRIMARY KEY DEFAULT regulars_uuid7() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"funnel" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"shop_id" uuid NOT NULL,
	"channel" "channel" NOT NULL,
	"address" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_shop_id_channel_address_pk" PRIMARY KEY("shop_id","channel","address")
);
--> statement-breakpoint
ALTER TABLE "sends" ALTER COLUMN "id" SET DEFAULT regulars_uuid7();--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "rules" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "scheduled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "opt_out_threshold_bp" smallint DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "opt_out_min_count" smallint DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "run_id" uuid;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "send_after" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_runs" ADD CONSTRAINT "campaign_runs_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_runs" ADD CONSTRAINT "campaign_runs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_runs_campaign" ON "campaign_runs" USING btree ("shop_id","campaign_id","decided_at");--> statement-breakpoint
CREATE INDEX "sends_queued_due" ON "sends" USING btree ("send_after") WHERE status = 'queued';--> statement-breakpoint
SELECT regulars_protect_tenant_table(t::regclass) FROM unnest(ARRAY['campaign_runs', 'campaign_decisions', 'suppressions']) AS t;
--> statement-breakpoint
-- Decisions are derived rows written in bulk (a run of 100,000 customers writes 100,000): no key is
-- checked per row; a run's decisions go with the run (and so with its campaign and shop).
CREATE OR REPLACE FUNCTION regulars_forget_decisions_of_runs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM campaign_decisions d USING gone g WHERE d.shop_id = g.shop_id AND d.run_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER campaign_runs_forget_decisions AFTER DELETE ON campaign_runs
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_forget_decisions_of_runs();
