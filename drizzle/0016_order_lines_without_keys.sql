-- The key from an order line to its order was checked line by line: about 7 of the 10 seconds of
-- writing a million lines (docs/decisions/003-imports.md). The same guarantee — a line belongs to
-- an order of its own shop — is now checked once per statement, over all the lines it wrote, and
-- what the key's ON DELETE CASCADE did, removing an order's lines with the order, a trigger does
-- once per statement too. Both run as the caller, so row-level security hides other shops' orders
-- from the check exactly as it hides them from everything else.
ALTER TABLE "order_items" DROP CONSTRAINT "order_items_order_fk";--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_check_lines_have_orders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orphan record;
BEGIN
  SELECT n.shop_id, n.order_id INTO orphan FROM written n
   WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = n.shop_id AND o.id = n.order_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'order line refers to order %, which its shop does not have', orphan.order_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER order_items_have_orders AFTER INSERT ON order_items
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION regulars_check_lines_have_orders();
--> statement-breakpoint
CREATE TRIGGER order_items_keep_orders AFTER UPDATE ON order_items
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION regulars_check_lines_have_orders();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_delete_lines_of_deleted_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM order_items i USING gone g WHERE i.shop_id = g.shop_id AND i.order_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER orders_delete_lines AFTER DELETE ON orders
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_delete_lines_of_deleted_orders();
