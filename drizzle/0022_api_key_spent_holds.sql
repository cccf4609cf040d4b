-- A key's monthly spend (api_key_spent, 0019_api_key_charge.sql) also counts the holds it
-- made outside a task (credit_holds.api_key_id: a chat reply): what a hold reserves while
-- it is held, what it spent once settled, nothing once released or expired. A metered
-- task's hold is counted through its task, so it never carries the key itself.
CREATE OR REPLACE FUNCTION api_key_spent(p_key_id text) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT (
    (SELECT coalesce(sum(
       CASE
         WHEN refund_trans_no IS NOT NULL THEN 0
         WHEN credits_hold_id IS NOT NULL AND status IN ('queued', 'running') THEN coalesce(credits_reserved, 0)
         ELSE credits_used
       END), 0)
     FROM tasks
     WHERE api_key_id = p_key_id AND created_at >= date_trunc('month', now(), 'UTC'))
    +
    (SELECT coalesce(sum(
       CASE status WHEN 'held' THEN credits WHEN 'settled' THEN coalesce(settled_credits, 0) ELSE 0 END), 0)
     FROM credit_holds
     WHERE api_key_id = p_key_id AND created_at >= date_trunc('month', now(), 'UTC'))
  )::bigint
$$;
