CREATE TABLE "rate_limit_counts" (
	"bucket" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_counts_bucket_window_start_pk" PRIMARY KEY("bucket","window_start")
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "contact_budget_per_week" smallint;--> statement-breakpoint
CREATE INDEX "rate_limit_counts_window" ON "rate_limit_counts" USING btree ("window_start");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_contact_budget_range" CHECK ("contact_budget_per_week" IS NULL OR "contact_budget_per_week" BETWEEN 0 AND 14);
