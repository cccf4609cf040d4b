-- Holds: two-phase spends (docs/architecture.md, ledger invariant 7; after TigerBeetle's
-- pending transfers). Their only caller is src/services/credits/holds.ts (holdCredits,
-- settleHold, releaseHold, expireHolds, and holdCall for a metered task's creation).
--
-- credits_hold(...) reserves credits: under the user's row lock (the lock every ledger
-- write takes first), the balance check and the burn-down of credits_debit, but the credits
-- taken out of the grants' `remaining` are recorded in a credit_holds row instead of a
-- spend: not spendable, not spent. It returns that row (or, for a key the user already
-- used with the same amount, the hold that key made: no second reservation).
--
-- credits_hold_resolve(...) resolves an open hold once, under the same lock:
--   'settled'  p_actual (0..held) is spent from the hold's grants in burn-down order (one
--              ledger row, trans_no = the hold's id, allocated to those grants), the rest
--              goes back to them;
--   'released' / 'expired' everything goes back; nothing is written to the ledger (nothing
--              moved). 'expired' applies only once expires_at has passed (the sweeper).
-- A hold that is not open any more is returned as it is with applied = false and nothing
-- written; holds.ts turns that into a no-op or an error.
--
-- Credits going back to a grant that has lapsed, or whose payment was refunded or disputed
-- (revoke_target > 0), must expire again or go to that claim at once. Those rules live in
-- ledger.ts (creditsReturned): with p_followups = false such a resolution writes nothing and
-- answers applied = false with those grants in returned_grants / returned_credits, and
-- holds.ts resolves it again inside a transaction with p_followups = true, then applies the
-- rules to them. The common case stays one call.
--
-- Errors (mapped by holds.ts):
--   CRD01 insufficient credits (DETAIL: the spendable balance)   CRD02 unknown user
--   CRD03 the account is disabled or deleted                      CRH01 unknown hold
--   CRH02 settle amount outside 0..held (DETAIL: held)            CRH03 key reused with
--   another amount (DETAIL: that hold's credits)
CREATE OR REPLACE FUNCTION credits_hold(
  p_hold_id text,
  p_user_uuid text,
  p_amount integer,
  p_trans_type text,
  p_task_uuid text,
  p_reason text,
  p_key text,
  p_expires_at timestamptz,
  p_metadata jsonb
) RETURNS credit_holds
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_balance bigint;
  v_disabled_at timestamptz;
  v_hold credit_holds;
BEGIN
  -- Every ledger write takes this lock first: one writer per user at a time. Statements
  -- after it take fresh snapshots (VOLATILE), so they see what earlier holders committed.
  SELECT disabled_at INTO v_disabled_at FROM users WHERE uuid = p_user_uuid FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown user %', p_user_uuid USING ERRCODE = 'CRD02';
  END IF;
  -- A hold is always work the user asked for (a task, a chat reply): none for a disabled
  -- or deleted account, whatever a session cache on another instance still says.
  IF v_disabled_at IS NOT NULL THEN
    RAISE EXCEPTION 'account disabled' USING ERRCODE = 'CRD03';
  END IF;

  IF p_key IS NOT NULL THEN
    SELECT * INTO v_hold FROM credit_holds WHERE user_uuid = p_user_uuid AND key = p_key;
    IF FOUND THEN
      IF v_hold.credits <> p_amount THEN
        RAISE EXCEPTION 'hold key reused with another amount' USING ERRCODE = 'CRH03', DETAIL = v_hold.credits::text;
      END IF;
      RETURN v_hold;
    END IF;
  END IF;

  -- The burn-down of credits_debit (first to expire, then oldest, never expiring last),
  -- recorded on the hold instead of as a spend. The balance check is part of it: when the
  -- active grants hold less than p_amount, nothing is taken and no hold is inserted.
  WITH active AS (
    SELECT trans_no, remaining,
           coalesce(sum(remaining) OVER (ORDER BY expired_at ASC NULLS LAST, created_at, trans_no
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
           sum(remaining) OVER () AS balance
    FROM credit_grants
    WHERE user_uuid = p_user_uuid AND remaining > 0 AND (expired_at IS NULL OR expired_at > now())
  ),
  take AS (
    SELECT trans_no, least(remaining, p_amount - before)::int AS credits, before
    FROM active WHERE before < p_amount AND balance >= p_amount
  ),
  taken AS (
    UPDATE credit_grants g SET remaining = g.remaining - take.credits
    FROM take WHERE g.trans_no = take.trans_no
    RETURNING take.trans_no, take.credits, take.before
  )
  INSERT INTO credit_holds (id, user_uuid, credits, trans_type, task_uuid, reason, key, metadata,
                            grant_trans_nos, grant_credits, expires_at)
  SELECT p_hold_id, p_user_uuid, p_amount, p_trans_type, p_task_uuid, p_reason, p_key, p_metadata,
         array_agg(trans_no ORDER BY before), array_agg(credits ORDER BY before), p_expires_at
  FROM taken
  HAVING count(*) > 0
  RETURNING * INTO v_hold;

  IF NOT FOUND THEN
    SELECT coalesce(sum(remaining), 0) INTO v_balance
    FROM credit_grants
    WHERE user_uuid = p_user_uuid AND remaining > 0 AND (expired_at IS NULL OR expired_at > now());
    RAISE EXCEPTION 'insufficient credits' USING ERRCODE = 'CRD01', DETAIL = v_balance::text;
  END IF;
  RETURN v_hold;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION credits_hold_resolve(
  p_hold_id text,
  p_status text,
  p_actual integer,
  p_followups boolean,
  OUT applied boolean,
  OUT hold credit_holds,
  OUT returned_grants text[],
  OUT returned_credits integer[]
)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_spend integer;
BEGIN
  applied := false;
  IF p_status NOT IN ('settled', 'released', 'expired') THEN
    RAISE EXCEPTION 'unknown hold resolution %', p_status;
  END IF;
  -- The user's lock (every ledger write's first) and the hold's row: locking the hold reads
  -- its latest version, so a resolution that committed while this one waited is seen here.
  SELECT h.* INTO hold
  FROM credit_holds h JOIN users u ON u.uuid = h.user_uuid
  WHERE h.id = p_hold_id
  FOR NO KEY UPDATE OF u, h;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown hold %', p_hold_id USING ERRCODE = 'CRH01';
  END IF;
  IF hold.status <> 'held' OR (p_status = 'expired' AND hold.expires_at > now()) THEN
    RETURN;
  END IF;
  v_spend := CASE WHEN p_status = 'settled' THEN p_actual ELSE 0 END;
  IF v_spend IS NULL OR v_spend < 0 OR v_spend > hold.credits THEN
    RAISE EXCEPTION 'settle amount outside 0..%', hold.credits USING ERRCODE = 'CRH02', DETAIL = hold.credits::text;
  END IF;

  WITH parts AS (
    -- Per grant of the hold, in its (burn-down) order: what the settlement spends, what goes back.
    SELECT g, ord, least(c, greatest(0, v_spend - before)) AS spent, c - least(c, greatest(0, v_spend - before)) AS back
    FROM (
      SELECT g, c, ord, coalesce(sum(c) OVER (ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM unnest(hold.grant_trans_nos, hold.grant_credits) WITH ORDINALITY AS x(g, c, ord)
    ) running
  ),
  -- Grants getting credits back that have lapsed or carry a refund/dispute claim: unless
  -- p_followups, nothing is written and they are returned for a resolution in a transaction.
  special AS (
    SELECT p.g, p.back, p.ord FROM parts p JOIN credit_grants cg ON cg.trans_no = p.g
    WHERE p.back > 0 AND (cg.expired_at <= now() OR cg.revoke_target > 0)
  ),
  go AS (SELECT p_followups OR NOT EXISTS (SELECT 1 FROM special) AS ok),
  resolved AS (
    UPDATE credit_holds
    SET status = p_status,
        settled_credits = CASE WHEN p_status = 'settled' THEN v_spend END,
        resolved_at = now()
    WHERE id = p_hold_id AND (SELECT ok FROM go)
    RETURNING id
  ),
  -- The settlement's spend: traced to the grants it took from, like every debit; it
  -- inherits the expiry of the first of them (shown in history).
  spend AS (
    INSERT INTO credits (trans_no, user_uuid, trans_type, credits, task_uuid, reason, metadata, expired_at)
    SELECT hold.id, hold.user_uuid, hold.trans_type, -v_spend, hold.task_uuid, hold.reason,
           coalesce(hold.metadata, '{}'::jsonb) || jsonb_build_object('hold', hold.id, 'reserved', hold.credits::text),
           (SELECT expired_at FROM credit_grants WHERE trans_no = hold.grant_trans_nos[1])
    FROM resolved WHERE v_spend > 0
  ),
  allocations AS (
    INSERT INTO credit_allocations (trans_no, grant_trans_no, credits)
    SELECT hold.id, p.g, p.spent FROM parts p WHERE p.spent > 0 AND (SELECT ok FROM go)
  ),
  back AS (
    UPDATE credit_grants cg SET remaining = cg.remaining + p.back
    FROM parts p
    WHERE cg.trans_no = p.g AND p.back > 0 AND (SELECT ok FROM go)
  )
  SELECT EXISTS (SELECT 1 FROM resolved),
         (SELECT array_agg(g ORDER BY ord) FROM special),
         (SELECT array_agg(back ORDER BY ord) FROM special)
  INTO applied, returned_grants, returned_credits;

  IF applied THEN
    hold.status := p_status;
    hold.settled_credits := CASE WHEN p_status = 'settled' THEN v_spend END;
    hold.resolved_at := now();
  END IF;
END
$$;
