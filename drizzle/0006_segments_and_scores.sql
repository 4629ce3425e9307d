CREATE TABLE "customer_scores" (
	"shop_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"orders" integer NOT NULL,
	"purchase_days" integer NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"first_order_at" timestamp with time zone NOT NULL,
	"last_order_at" timestamp with time zone NOT NULL,
	"recency_score" smallint NOT NULL,
	"frequency_score" smallint NOT NULL,
	"monetary_score" smallint NOT NULL,
	"rfm_group" text NOT NULL,
	"lifecycle" text NOT NULL,
	"p_alive" double precision,
	"expected_purchases_90d" double precision,
	"expected_purchases_90d_low" double precision,
	"expected_purchases_90d_high" double precision,
	"expected_order_value_minor" bigint,
	"predicted_value_minor" bigint NOT NULL,
	"predicted_value_low_minor" bigint,
	"predicted_value_high_minor" bigint,
	"value_basis" text NOT NULL,
	"prediction_reason" text NOT NULL,
	"facts" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_scores_shop_id_customer_id_pk" PRIMARY KEY("shop_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "segment_refreshes" (
	"shop_id" uuid NOT NULL,
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"failure" text,
	"customers" integer DEFAULT 0 NOT NULL,
	"summary" jsonb
);
--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_refreshes" ADD CONSTRAINT "segment_refreshes_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "segment_refreshes_shop_started" ON "segment_refreshes" USING btree ("shop_id","started_at");