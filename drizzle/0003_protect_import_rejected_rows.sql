-- Rejected rows hold customers' data: tenant table, row-level security forced.
SELECT regulars_protect_tenant_table('import_rejected_rows'::regclass);
