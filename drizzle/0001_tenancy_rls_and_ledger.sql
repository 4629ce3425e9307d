-- Tenancy: every tenant table is reachable only through the non-superuser role regulars_app with
-- row-level security FORCED, filtered by the shop id the transaction set (lib/db/tenant.ts).
-- Roles are cluster-wide, so creating one tolerates a concurrent migration of another database.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regulars_app') THEN
    CREATE ROLE regulars_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  -- A non-superuser database owner must be a member of the role to SET ROLE to it.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'regulars_app', 'MEMBER') THEN
    EXECUTE format('GRANT regulars_app TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO regulars_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_current_shop() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('regulars.shop_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_current_user() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('regulars.user_id', true), '')::uuid $$;
--> statement-breakpoint
-- Later migrations call this for each new tenant table.
CREATE OR REPLACE FUNCTION regulars_protect_tenant_table(t regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
  EXECUTE format('DROP POLICY IF EXISTS shop_isolation ON %s', t);
  EXECUTE format('CREATE POLICY shop_isolation ON %s USING (shop_id = regulars_current_shop()) WITH CHECK (shop_id = regulars_current_shop())', t);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO regulars_app', t);
END $$;
--> statement-breakpoint
SELECT regulars_protect_tenant_table(t::regclass) FROM unnest(ARRAY[
  'memberships', 'api_keys', 'webhook_secrets', 'customers', 'attribute_definitions',
  'customer_attributes', 'products', 'orders', 'order_items', 'events', 'policy_versions',
  'consent_events', 'consent_state', 'segments', 'segment_members', 'campaigns', 'variants',
  'sends', 'spend', 'survey_responses', 'imports', 'idempotency_keys'
]) AS t;
--> statement-breakpoint
-- A signed-in person may list their own memberships (to pick a shop) before any shop is chosen.
CREATE POLICY own_memberships ON memberships FOR SELECT USING (user_id = regulars_current_user());
--> statement-breakpoint
ALTER TABLE shops ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE shops FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY shop_isolation ON shops USING (id = regulars_current_shop()) WITH CHECK (id = regulars_current_shop());
--> statement-breakpoint
CREATE POLICY own_shops ON shops FOR SELECT USING (
  EXISTS (SELECT 1 FROM memberships m WHERE m.shop_id = shops.id AND m.user_id = regulars_current_user())
);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON shops TO regulars_app;
--> statement-breakpoint
-- Members' names and emails are visible to the shops they belong to, nothing else of users.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY shop_members ON users FOR SELECT TO regulars_app USING (
  EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id)
);
--> statement-breakpoint
GRANT SELECT (id, name, email) ON users TO regulars_app;
--> statement-breakpoint
-- The consent ledger is append-only for everyone, superusers included (DESIGN invariant 4).
REVOKE UPDATE, DELETE, TRUNCATE ON consent_events FROM regulars_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_events is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION regulars_refuse_ledger_change();
--> statement-breakpoint
CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events
  FOR EACH STATEMENT EXECUTE FUNCTION regulars_refuse_ledger_change();
--> statement-breakpoint
-- Each new row must continue its shop's chain: seq is the next number and prev_hash the hash of
-- the row before. The hash itself is computed in lib/consent and checked by the verifier.
CREATE OR REPLACE FUNCTION regulars_check_ledger_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  prev consent_events%ROWTYPE;
BEGIN
  IF NEW.seq = 1 THEN
    IF NEW.prev_hash IS NOT NULL THEN
      RAISE EXCEPTION 'consent ledger: the first event of a shop has no previous hash';
    END IF;
    RETURN NEW;
  END IF;
  SELECT * INTO prev FROM consent_events WHERE shop_id = NEW.shop_id AND seq = NEW.seq - 1;
  IF NOT FOUND OR prev.hash IS DISTINCT FROM NEW.prev_hash THEN
    RAISE EXCEPTION 'consent ledger: event % does not continue the chain of its shop', NEW.seq;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER consent_events_link BEFORE INSERT ON consent_events
  FOR EACH ROW EXECUTE FUNCTION regulars_check_ledger_link();
--> statement-breakpoint
-- consent_state is derived: the latest event (by occurred_at, then seq) per customer, channel, purpose.
CREATE OR REPLACE FUNCTION regulars_apply_consent_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO consent_state AS s (shop_id, customer_id, channel, purpose, granted, event_id, event_hash, updated_at)
  VALUES (NEW.shop_id, NEW.customer_id, NEW.channel, NEW.purpose, NEW.action = 'grant', NEW.id, NEW.hash, NEW.occurred_at)
  ON CONFLICT (shop_id, customer_id, channel, purpose) DO UPDATE
    SET granted = EXCLUDED.granted, event_id = EXCLUDED.event_id, event_hash = EXCLUDED.event_hash,
        updated_at = EXCLUDED.updated_at
    WHERE s.updated_at <= EXCLUDED.updated_at;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER consent_events_state AFTER INSERT ON consent_events
  FOR EACH ROW EXECUTE FUNCTION regulars_apply_consent_event();
