-- Rate-limit counters are tenant data like the rest.
SELECT regulars_protect_tenant_table('api_usage'::regclass);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_current_api_key_hash() RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('regulars.api_key_hash', true), '') $$;
--> statement-breakpoint
-- An API request presents only its key. Before any shop is known, the application role may read
-- the one key row whose hash the transaction set, and nothing else (lib/api/authenticate-api-key.ts).
CREATE POLICY key_lookup ON api_keys FOR SELECT USING (key_hash = regulars_current_api_key_hash());
