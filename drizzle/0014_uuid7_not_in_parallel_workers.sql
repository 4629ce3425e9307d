-- regulars_uuid7() (0011) was declared parallel safe, but a volatile SQL function cannot run while a
-- query is in parallel mode ("cannot start commands during a parallel operation"), leader included:
-- CREATE TABLE … AS SELECT regulars_uuid7() … over a large table failed. Parallel unsafe, such a
-- query is planned without workers; column defaults were never affected.
ALTER FUNCTION regulars_uuid7() PARALLEL UNSAFE;
