-- Orders: the key to shops checked on every order what the key to its customer already implies; the
-- key to the customer now includes the shop, so an order cannot name another shop's customer.
CREATE UNIQUE INDEX "customers_shop_id" ON "customers" USING btree ("shop_id","id");--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_fk" FOREIGN KEY ("shop_id","customer_id") REFERENCES "public"."customers"("shop_id","id") ON DELETE cascade ON UPDATE no action;
