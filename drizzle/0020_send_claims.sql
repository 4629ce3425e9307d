ALTER TYPE "public"."send_status" ADD VALUE 'sending' BEFORE 'sent';--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "attempts" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "message_id" text;