-- Importing a million order lines wrote about 250,000 orders, and the key from each order to its
-- customer was checked order by order: a lookup and a share lock on the customer's row (each lock
-- written to disk) per order, for customers the import itself had just found or created
-- (docs/decisions/003-imports.md). The same guarantee — an order's customer belongs to the order's
-- shop — is now checked once per statement over all the orders it wrote, as order lines check their
-- orders (0016) and messages their references (0026). It runs as the caller, so row-level security
-- hides other shops' customers from the check exactly as from everything else. What the key's
-- ON DELETE CASCADE did, a statement trigger does: deleting customers (a shop being deleted)
-- deletes their orders, and those orders' lines with them (0016).
-- Not kept: the share lock on each customer. Customers are not deleted by the application (erasure
-- keeps the row, and one with a consent event cannot be deleted at all), so an order cannot lose
-- its customer that way.
ALTER TABLE "orders" DROP CONSTRAINT "orders_customer_fk";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_check_orders_have_customers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orphan record;
BEGIN
  -- Each order's customer looked up by its key (a lateral lookup), whatever the planner believes
  -- about the shop's size: during an import its statistics lag far behind.
  SELECT n.id, n.customer_id INTO orphan FROM written n
    LEFT JOIN LATERAL (SELECT true AS found FROM customers c WHERE c.shop_id = n.shop_id AND c.id = n.customer_id LIMIT 1) k ON true
   WHERE k.found IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'order % refers to customer %, whom its shop does not have', orphan.id, orphan.customer_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER orders_have_customers AFTER INSERT ON orders
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION regulars_check_orders_have_customers();
--> statement-breakpoint
CREATE TRIGGER orders_keep_customers AFTER UPDATE ON orders
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION regulars_check_orders_have_customers();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_delete_orders_of_deleted_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM orders o USING gone g WHERE o.shop_id = g.shop_id AND o.customer_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER customers_delete_orders AFTER DELETE ON customers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_delete_orders_of_deleted_customers();
--> statement-breakpoint
-- Lines check their orders the same way: with statistics that said the shop had no orders yet,
-- the check read all of the shop's orders for every line it wrote, and a large import into a new
-- shop slowed down with every batch.
CREATE OR REPLACE FUNCTION regulars_check_lines_have_orders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orphan record;
BEGIN
  -- Once per order, not per line: an order has several lines.
  SELECT n.shop_id, n.order_id INTO orphan FROM (SELECT DISTINCT w.shop_id, w.order_id FROM written w) n
    LEFT JOIN LATERAL (SELECT true AS found FROM orders o WHERE o.shop_id = n.shop_id AND o.id = n.order_id LIMIT 1) k ON true
   WHERE k.found IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'order line refers to order %, which its shop does not have', orphan.order_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Order lines had two indexes, the line's own id and (shop, order); every page reads lines by
-- their order, and the one lookup by id (an order's first line) is by order too. One key,
-- (shop, order, line), serves both and halves what writing a line costs in indexes.
ALTER TABLE "order_items" DROP CONSTRAINT "order_items_pkey";
--> statement-breakpoint
DROP INDEX "order_items_shop_order";
--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_shop_id_order_id_id_pk" PRIMARY KEY ("shop_id", "order_id", "id");
