-- The key from an order line to its product was checked on every imported line and cost more than
-- a bare COPY of the lines (docs/decisions/003-imports.md), for a reference nothing can break: the
-- importer sets it from a product it found or created in the same transaction, and the application
-- never deletes products. A product deleted by hand still clears it from its lines, as the key's
-- ON DELETE SET NULL did, once per statement.
ALTER TABLE "order_items" DROP CONSTRAINT "order_items_product_id_products_id_fk";--> statement-breakpoint
CREATE OR REPLACE FUNCTION regulars_forget_deleted_products() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE order_items i SET product_id = NULL FROM gone g WHERE i.shop_id = g.shop_id AND i.product_id = g.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER products_forget_lines AFTER DELETE ON products
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION regulars_forget_deleted_products();
