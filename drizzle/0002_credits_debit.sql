-- The ledger's debit as one server-side call: credits_debit(...) locks the user's
-- row, checks the spendable balance and burns down the active grants, then returns
-- the debit's trans_no. Its only caller is src/services/credits.ts (decreaseCredits,
-- and debitCall for a caller that must insert its own row in the same statement).
--
-- Why a function: a debit used to be BEGIN, lock, burn-down, COMMIT (four round
-- trips). Inside a VOLATILE function every statement takes a fresh snapshot, so the
-- burn-down that follows the lock sees every debit committed by earlier holders of
-- the lock, which is what makes "lock, then read, then write" safe in one call.
--
-- Errors (mapped to InsufficientCreditsError / UnknownUserError by credits.ts):
--   CRD01 insufficient credits; DETAIL is the spendable balance
--   CRD02 unknown user
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
BEGIN
  -- Every ledger write takes this lock first: one writer per user at a time.
  PERFORM 1 FROM users WHERE uuid = p_user_uuid FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown user %', p_user_uuid USING ERRCODE = 'CRD02';
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
