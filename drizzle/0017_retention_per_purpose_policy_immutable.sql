ALTER TABLE "shops" ADD COLUMN "retention_marketing_months" smallint DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "retention_personalization_months" smallint DEFAULT 24 NOT NULL;--> statement-breakpoint
-- Retention is whole months, at least one (the cart and browsing segments look back 7 and 30 days)
-- and at most ten years.
ALTER TABLE "shops" ADD CONSTRAINT "shops_retention_months_range" CHECK (
  retention_months BETWEEN 1 AND 120 AND retention_marketing_months BETWEEN 1 AND 120
  AND retention_personalization_months BETWEEN 1 AND 120
);
--> statement-breakpoint
-- A published policy version is the text customers saw when they decided, and consent events copy
-- its SHA-256 into their own hash: it never changes and is never removed, for superusers too.
REVOKE UPDATE, DELETE, TRUNCATE ON policy_versions FROM regulars_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_refuse_policy_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'policy_versions is immutable once published: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER policy_versions_immutable BEFORE UPDATE OR DELETE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION regulars_refuse_policy_change();
--> statement-breakpoint
CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions
  FOR EACH STATEMENT EXECUTE FUNCTION regulars_refuse_policy_change();
