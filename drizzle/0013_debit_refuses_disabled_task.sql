-- credits_debit (0002) refuses a task's debit for a disabled account: CRD03.
--
-- Disabling (the admin console) and deleting an account lock the user's row and set
-- disabled_at. A session is re-checked at most every SESSION_CHECK_INTERVAL_SECONDS on
-- each app instance, so another instance could still accept that user's task for a
-- while. The debit locks the same row and reads disabled_at after the lock (a VOLATILE
-- function's statements take fresh snapshots), so a task debited after the disabling
-- commits is refused, and one that waited on it too. Debits without a task (an admin's
-- deduction) still apply to a disabled account.
--
-- Errors (mapped by src/services/credits.ts): CRD01 insufficient credits (DETAIL: the
-- spendable balance), CRD02 unknown user, CRD03 a task for a disabled account.
CREATE OR REPLACE FUNCTION credits_debit(
  p_trans_no text,
  p_user_uuid text,
  p_trans_type text,
  p_amount integer,
  p_task_uuid text,
  p_order_no text,
  p_reason text
) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_balance bigint;
  v_disabled_at timestamptz;
BEGIN
  -- Every ledger write takes this lock first: one writer per user at a time.
  SELECT disabled_at INTO v_disabled_at FROM users WHERE uuid = p_user_uuid FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown user %', p_user_uuid USING ERRCODE = 'CRD02';
  END IF;
  -- A disabled (or deleted) account starts no task, whatever its session cache says.
  IF p_task_uuid IS NOT NULL AND v_disabled_at IS NOT NULL THEN
    RAISE EXCEPTION 'account disabled' USING ERRCODE = 'CRD03';
  END IF;

  SELECT coalesce(sum(remaining), 0) INTO v_balance
  FROM credit_grants
  WHERE user_uuid = p_user_uuid AND remaining > 0 AND (expired_at IS NULL OR expired_at > now());
  IF v_balance < p_amount THEN
    RAISE EXCEPTION 'insufficient credits' USING ERRCODE = 'CRD01', DETAIL = v_balance::text;
  END IF;

  -- Burn-down: active grants in spend order (first to expire, then oldest, never
  -- expiring last); each takes what is still owed after the grants before it.
  WITH active AS (
    SELECT trans_no, remaining, expired_at,
           coalesce(sum(remaining) OVER (ORDER BY expired_at ASC NULLS LAST, created_at, trans_no
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM credit_grants
    WHERE user_uuid = p_user_uuid AND remaining > 0 AND (expired_at IS NULL OR expired_at > now())
  ),
  take AS (
    SELECT trans_no, least(remaining, p_amount - before)::int AS credits, expired_at, before
    FROM active WHERE before < p_amount
  ),
  -- The spend inherits the expiry of the first grant that covers it (shown in history).
  debit AS (
    INSERT INTO credits (trans_no, user_uuid, trans_type, credits, task_uuid, order_no, reason, expired_at)
    VALUES (p_trans_no, p_user_uuid, p_trans_type, -p_amount, p_task_uuid, p_order_no, p_reason,
            (SELECT expired_at FROM take ORDER BY before LIMIT 1))
  ),
  allocations AS (
    INSERT INTO credit_allocations (trans_no, grant_trans_no, credits)
    SELECT p_trans_no, trans_no, credits FROM take
  )
  UPDATE credit_grants g SET remaining = g.remaining - take.credits
  FROM take WHERE g.trans_no = take.trans_no;

  RETURN p_trans_no;
END
$$;
