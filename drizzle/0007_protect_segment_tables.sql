-- Scores and refresh records describe a shop's customers: tenant tables, row-level security forced.
SELECT regulars_protect_tenant_table('customer_scores'::regclass);
--> statement-breakpoint
SELECT regulars_protect_tenant_table('segment_refreshes'::regclass);
--> statement-breakpoint
-- The refresh scheduler must find the shops that are due before it can scope to one. It may read
-- shop ids (and nothing of any other table) in a transaction that set regulars.scope to
-- 'shop_scheduler' (lib/db/tenant.ts, withShopScheduler).
CREATE POLICY shop_scheduler ON shops FOR SELECT USING (current_setting('regulars.scope', true) = 'shop_scheduler');
