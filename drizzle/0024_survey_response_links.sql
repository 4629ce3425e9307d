ALTER TABLE "survey_responses" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD COLUMN "send_id" uuid;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_send_id_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."sends"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_one_per_send" ON "survey_responses" USING btree ("shop_id","send_id");--> statement-breakpoint
CREATE INDEX "survey_responses_customer" ON "survey_responses" USING btree ("shop_id","customer_id");