CREATE TABLE "invitations" (
	"shop_id" uuid NOT NULL,
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"role" "member_role" NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitations_shop_email" ON "invitations" USING btree ("shop_id","email");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_at" ON "login_attempts" USING btree ("ip","created_at");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
-- Invitations name a person's email and a role in a shop: tenant data, row-level security forced.
SELECT regulars_protect_tenant_table('invitations'::regclass);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_current_invitation() RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('regulars.invitation_token_hash', true), '') $$;
--> statement-breakpoint
-- A person following an invitation link presents only its token, before they belong to the shop.
-- In a transaction that set the token's hash (lib/db/tenant.ts, withInvitationToken), the
-- application role may read that one invitation and the name of its shop, and nothing else.
CREATE POLICY invitation_by_token ON invitations FOR SELECT USING (token_hash = regulars_current_invitation());
--> statement-breakpoint
CREATE POLICY invitation_shop ON shops FOR SELECT USING (
  EXISTS (SELECT 1 FROM invitations i WHERE i.shop_id = shops.id AND i.token_hash = regulars_current_invitation())
);
