-- A targeting run writes its messages in one statement (100,000 customers, 90,000 messages), and
-- the outbox's four keys were checked one message at a time: four lookups per row, about 40 % of
-- the run (docs/decisions/010-campaigns.md). The same guarantees are now checked once per
-- statement over all the rows it wrote, and stricter: the campaign, the variant and the customer
-- must each belong to the message's own shop (a key only asked that they exist somewhere). The key
-- to shops was redundant: the campaign's shop is the message's, and campaigns keep their key to
-- shops. The checks run as the caller, so row-level security hides other shops' rows from them
-- exactly as from everything else. What the keys' ON DELETE did is done by statement triggers.
-- Not kept: the share lock a key takes on each customer it checks (90,000 row locks, each written
-- to disk). A customer deleted at the same moment by another transaction could leave messages
-- behind; customers are not deleted by the application (erasure keeps the row), and one with a
-- consent event cannot be deleted at all (consent_events refuses), so a message, which needs a
-- grant, cannot lose its customer that way. The campaign and variants are few and still locked.
ALTER TABLE "sends" DROP CONSTRAINT "sends_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "sends" DROP CONSTRAINT "sends_campaign_id_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "sends" DROP CONSTRAINT "sends_variant_id_variants_id_fk";
--> statement-breakpoint
ALTER TABLE "sends" DROP CONSTRAINT "sends_customer_id_customers_id_fk";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_check_sends_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  -- The campaigns and variants written to may not go away before this transaction ends.
  PERFORM 1 FROM campaigns k WHERE k.id IN (SELECT DISTINCT n.campaign_id FROM written n) FOR KEY SHARE;
  PERFORM 1 FROM variants v WHERE v.id IN (SELECT DISTINCT n.variant_id FROM written n WHERE n.variant_id IS NOT NULL) FOR KEY SHARE;
  SELECT n.id, n.campaign_id INTO bad FROM written n
   WHERE NOT EXISTS (SELECT 1 FROM campaigns k WHERE k.id = n.campaign_id AND k.shop_id = n.shop_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'message % refers to campaign %, which its shop does not have', bad.id, bad.campaign_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT n.id, n.variant_id INTO bad FROM written n
   WHERE n.variant_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.id = n.variant_id AND v.shop_id = n.shop_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'message % refers to variant %, which its shop does not have', bad.id, bad.variant_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT n.id, n.customer_id INTO bad FROM written n
   WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.shop_id = n.shop_id AND c.id = n.customer_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'message % refers to customer %, whom its shop does not have', bad.id, bad.customer_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sends_check_references AFTER INSERT ON sends
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION regulars_check_sends_references();
--> statement-breakpoint
-- Workers update messages all the time but never these columns: a row trigger on just them, and
-- only when one changed (as a key checks), costs the workers nothing. Clearing a deleted variant is
-- no change to check, and must not be: it happens while the variant's campaign is being deleted.
CREATE OR REPLACE FUNCTION regulars_check_send_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.campaign_id, NEW.shop_id) IS DISTINCT FROM (OLD.campaign_id, OLD.shop_id)
     AND NOT EXISTS (SELECT 1 FROM campaigns k WHERE k.id = NEW.campaign_id AND k.shop_id = NEW.shop_id FOR KEY SHARE) THEN
    RAISE EXCEPTION 'message % refers to campaign %, which its shop does not have', NEW.id, NEW.campaign_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF NEW.variant_id IS NOT NULL AND (NEW.variant_id, NEW.shop_id) IS DISTINCT FROM (OLD.variant_id, OLD.shop_id)
     AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.id = NEW.variant_id AND v.shop_id = NEW.shop_id FOR KEY SHARE) THEN
    RAISE EXCEPTION 'message % refers to variant %, which its shop does not have', NEW.id, NEW.variant_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF (NEW.customer_id, NEW.shop_id) IS DISTINCT FROM (OLD.customer_id, OLD.shop_id)
     AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.shop_id = NEW.shop_id AND c.id = NEW.customer_id FOR KEY SHARE) THEN
    RAISE EXCEPTION 'message % refers to customer %, whom its shop does not have', NEW.id, NEW.customer_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sends_keep_references AFTER UPDATE OF shop_id, campaign_id, variant_id, customer_id ON sends
  FOR EACH ROW WHEN (OLD.shop_id IS DISTINCT FROM NEW.shop_id OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id
                     OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR (NEW.variant_id IS NOT NULL AND OLD.variant_id IS DISTINCT FROM NEW.variant_id))
  EXECUTE FUNCTION regulars_check_send_references();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_delete_sends_of_deleted_campaigns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM sends s USING gone g WHERE s.shop_id = g.shop_id AND s.campaign_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER campaigns_delete_sends AFTER DELETE ON campaigns
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_delete_sends_of_deleted_campaigns();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_delete_sends_of_deleted_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM sends s USING gone g WHERE s.shop_id = g.shop_id AND s.customer_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customers_delete_sends AFTER DELETE ON customers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_delete_sends_of_deleted_customers();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_clear_sends_of_deleted_variants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sends s SET variant_id = NULL FROM gone g WHERE s.shop_id = g.shop_id AND s.variant_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER variants_clear_sends AFTER DELETE ON variants
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_clear_sends_of_deleted_variants();
