-- A fixed-window rate-limit counter as one server-side call (its only caller is
-- src/services/rate-limit.ts). rate_limit_hit(key, limit, window) counts one hit for
-- `key` in the current window and returns true, or raises RL429 (DETAIL: seconds
-- until the window resets) when the key is over its limit. Being an expression, it
-- can guard another statement, so the check and the guarded write commit together:
-- a refused or failed request does not count.
CREATE OR REPLACE FUNCTION rate_limit_hit(p_key text, p_limit integer, p_window_seconds integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_count integer;
  v_retry_after double precision;
BEGIN
  INSERT INTO rate_limits AS r (key, count, window_start) VALUES (p_key, 1, now())
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN r.window_start <= now() - make_interval(secs => p_window_seconds)
                 THEN 1 ELSE r.count + 1 END,
    window_start = CASE WHEN r.window_start <= now() - make_interval(secs => p_window_seconds)
                        THEN now() ELSE r.window_start END
  RETURNING r.count, extract(epoch FROM (r.window_start + make_interval(secs => p_window_seconds) - now()))
  INTO v_count, v_retry_after;
  IF v_count > p_limit THEN
    RAISE EXCEPTION 'rate limited' USING ERRCODE = 'RL429', DETAIL = greatest(1, ceil(v_retry_after))::text;
  END IF;
  RETURN true;
END
$$;
