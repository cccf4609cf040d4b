-- Hand-written: the operator console's audit log (admin_audit_log) is append-only.
-- src/services/admin/audit.ts only ever inserts; this trigger refuses UPDATE and
-- DELETE from anyone else too (TRUNCATE is left to the database owner).
CREATE OR REPLACE FUNCTION admin_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'AUD01';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER admin_audit_log_append_only
BEFORE UPDATE OR DELETE ON admin_audit_log
FOR EACH ROW EXECUTE FUNCTION admin_audit_log_append_only();
