-- API keys' monthly credit caps (src/services/api-keys). Their only callers are
-- src/services/api-keys (apiKeySpentSql, apiKeyChargeSql) and, through apiKeyChargeSql,
-- the task creation statement (src/services/tasks/create.ts).
--
-- api_key_spent(key) is a key's spend this calendar month (UTC), from the tasks it created:
-- a fixed-price task counts its debit unless it was refunded; a metered task counts what
-- it holds while queued or running, then what its hold settled (0 when it failed).
--
-- api_key_charge(key, credits) guards a charge of `credits` by the key (NULL: a browser
-- session, always true): it locks the key's row, so charges of one key run one after the
-- other, and then, with a fresh snapshot (this function is VOLATILE, so each of its queries
-- sees what committed before it), refuses a revoked or expired key (KEY01) or a charge past
-- the key's monthly cap (KEY02, DETAIL: the credits left under the cap). Called in the
-- WHERE of the statement that debits or holds, before the debit's own user lock (always
-- key, then user), so the cap check, the charge and the task row commit together.
CREATE OR REPLACE FUNCTION api_key_spent(p_key_id text) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(
    CASE
      WHEN refund_trans_no IS NOT NULL THEN 0
      WHEN credits_hold_id IS NOT NULL AND status IN ('queued', 'running') THEN coalesce(credits_reserved, 0)
      ELSE credits_used
    END), 0)::bigint
  FROM tasks
  WHERE api_key_id = p_key_id AND created_at >= date_trunc('month', now(), 'UTC')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION api_key_charge(p_key_id text, p_credits int) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_cap int;
  v_spent bigint;
BEGIN
  IF p_key_id IS NULL THEN
    RETURN true;
  END IF;
  SELECT monthly_credit_cap INTO v_cap FROM api_keys
    WHERE id = p_key_id AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'API key revoked or expired' USING ERRCODE = 'KEY01';
  END IF;
  IF v_cap IS NULL THEN
    RETURN true;
  END IF;
  v_spent := api_key_spent(p_key_id);
  IF v_spent + p_credits > v_cap THEN
    RAISE EXCEPTION 'API key monthly credit cap reached' USING ERRCODE = 'KEY02', DETAIL = greatest(v_cap - v_spent, 0)::text;
  END IF;
  RETURN true;
END
$$;
