/**
 * The ledger's invariant checker (read-only). Each check is one SQL query that
 * returns the offending rows; a clean ledger returns none.
 */
import { sql, type SQL } from "drizzle-orm";

/** What open holds keep out of each grant (credit_holds' per-grant amounts). */
const HELD_BY_GRANT = sql`
  SELECT x.grant_trans_no, sum(x.credits) AS held
  FROM credit_holds h, unnest(h.grant_trans_nos, h.grant_credits) AS x(grant_trans_no, credits)
  WHERE h.status = 'held'
  GROUP BY x.grant_trans_no`;
import { getDb, rowsOf, type Executor } from "@/db";

export interface LedgerOffence {
  check: string;
  userUuid: string;
  detail: string;
}

const CHECKS: Array<{ name: string; query: SQL }> = [
  {
    // Every credit the ledger says the user has is in some grant (spendable, or lapsed and not
    // written off yet) or held by an open hold: granted - spent - expired (- taken back
    // + refunded) = remaining + held, i.e. granted = spent + expired + held + remaining.
    name: "granted = spent + expired + held + remaining",
    query: sql`
      SELECT u.uuid AS user_uuid,
             'ledger ' || coalesce(l.total, 0) || ' vs grants remaining ' || coalesce(g.total, 0)
               || ' + held ' || coalesce(h.total, 0) AS detail
      FROM users u
      LEFT JOIN (SELECT user_uuid, sum(credits) AS total FROM credits GROUP BY user_uuid) l ON l.user_uuid = u.uuid
      LEFT JOIN (SELECT user_uuid, sum(remaining) AS total FROM credit_grants GROUP BY user_uuid) g ON g.user_uuid = u.uuid
      LEFT JOIN (SELECT user_uuid, sum(credits) AS total FROM credit_holds WHERE status = 'held' GROUP BY user_uuid) h
        ON h.user_uuid = u.uuid
      WHERE coalesce(l.total, 0) <> coalesce(g.total, 0) + coalesce(h.total, 0)`,
  },
  {
    // A grant's remaining is its amount less everything allocated against it and what open holds keep.
    name: "grant remaining equals credits minus allocations and holds",
    query: sql`
      SELECT g.user_uuid,
             'grant ' || g.trans_no || ': remaining ' || g.remaining || ', expected '
               || (g.credits - coalesce(a.taken, 0) - coalesce(h.held, 0)) AS detail
      FROM credit_grants g
      LEFT JOIN (SELECT grant_trans_no, sum(credits) AS taken FROM credit_allocations GROUP BY grant_trans_no) a
        ON a.grant_trans_no = g.trans_no
      LEFT JOIN (${HELD_BY_GRANT}) h ON h.grant_trans_no = g.trans_no
      WHERE g.remaining <> g.credits - coalesce(a.taken, 0) - coalesce(h.held, 0) OR g.remaining < 0 OR g.remaining > g.credits`,
  },
  {
    // A hold keeps exactly its amount, in positive parts, out of its own user's grants.
    name: "holds take their amount from their user's grants",
    query: sql`
      SELECT h.user_uuid, 'hold ' || h.id || ' of ' || h.credits || ': parts ' || coalesce(p.total, 0)
               || CASE WHEN p.foreign_parts > 0 THEN ', from another user''s grant' ELSE '' END AS detail
      FROM credit_holds h
      LEFT JOIN LATERAL (
        SELECT sum(x.credits) AS total, count(*) FILTER (WHERE x.credits <= 0) AS bad_parts,
               count(*) FILTER (WHERE g.user_uuid IS DISTINCT FROM h.user_uuid) AS foreign_parts
        FROM unnest(h.grant_trans_nos, h.grant_credits) AS x(grant_trans_no, credits)
        LEFT JOIN credit_grants g ON g.trans_no = x.grant_trans_no
      ) p ON true
      WHERE coalesce(p.total, 0) <> h.credits OR p.bad_parts > 0 OR p.foreign_parts > 0`,
  },
  {
    // A settlement spends what its hold records as settled (never more than it reserved),
    // from the hold's own grants, no grant beyond its part of the reservation.
    name: "a settled hold's spend never exceeds its reservation",
    query: sql`
      SELECT h.user_uuid,
             'hold ' || h.id || ' (' || h.status || ', ' || h.credits || ' held, settled ' || coalesce(h.settled_credits::text, '-')
               || '): ledger spend ' || coalesce((-c.credits)::text, 'none') AS detail
      FROM credit_holds h
      LEFT JOIN credits c ON c.trans_no = h.id
      WHERE h.status = 'settled'
        AND (h.settled_credits > h.credits
             OR coalesce(-c.credits, 0) <> h.settled_credits
             OR (c.trans_no IS NOT NULL AND (c.user_uuid <> h.user_uuid OR c.trans_type <> h.trans_type))
             OR EXISTS (
               SELECT 1 FROM credit_allocations a
               LEFT JOIN unnest(h.grant_trans_nos, h.grant_credits) AS x(grant_trans_no, credits) ON x.grant_trans_no = a.grant_trans_no
               WHERE a.trans_no = h.id AND (x.grant_trans_no IS NULL OR a.credits > x.credits)))`,
  },
  {
    // A hold resolves once: only a settled hold has a spend in the ledger (a released, expired
    // or open one has none), and only a resolved hold has a resolution time.
    name: "no hold both settled and released",
    query: sql`
      SELECT h.user_uuid, 'hold ' || h.id || ' is ' || h.status || ' but the ledger has its spend ' || c.credits AS detail
      FROM credit_holds h JOIN credits c ON c.trans_no = h.id
      WHERE h.status <> 'settled'
      UNION ALL
      SELECT h.user_uuid, 'hold ' || h.id || ' is ' || h.status || ' with settled ' || coalesce(h.settled_credits::text, 'null')
               || ', resolved at ' || coalesce(h.resolved_at::text, 'null') AS detail
      FROM credit_holds h
      WHERE (h.status = 'settled') <> (h.settled_credits IS NOT NULL) OR (h.status = 'held') <> (h.resolved_at IS NULL)`,
  },
  {
    // Every positive non-refund row is a grant with the same amount and owner.
    name: "grant rows match their grant bookkeeping",
    query: sql`
      SELECT c.user_uuid, 'grant row ' || c.trans_no || ' has no matching credit_grants row' AS detail
      FROM credits c LEFT JOIN credit_grants g ON g.trans_no = c.trans_no
      WHERE c.credits > 0 AND c.trans_type NOT IN ('refund', 'dispute_reversal')
        AND (g.trans_no IS NULL OR g.credits <> c.credits OR g.user_uuid <> c.user_uuid)`,
  },
  {
    // Each debit is fully traced to the grants it consumed, each refund to the grants it restored.
    name: "movements are fully allocated",
    query: sql`
      SELECT c.user_uuid,
             c.trans_type || ' ' || c.trans_no || ': ' || c.credits || ' but allocations ' || coalesce(a.total, 0) AS detail
      FROM credits c
      LEFT JOIN (SELECT trans_no, sum(credits) AS total FROM credit_allocations GROUP BY trans_no) a ON a.trans_no = c.trans_no
      WHERE (c.credits < 0 OR c.trans_type IN ('refund', 'dispute_reversal')) AND coalesce(a.total, 0) <> -c.credits`,
  },
  {
    // Allocations only ever touch the owner's own grants.
    name: "allocations stay within one user",
    query: sql`
      SELECT c.user_uuid, 'allocation of ' || c.trans_no || ' touches grant ' || g.trans_no || ' of another user' AS detail
      FROM credit_allocations a
      JOIN credits c ON c.trans_no = a.trans_no
      JOIN credit_grants g ON g.trans_no = a.grant_trans_no
      WHERE g.user_uuid <> c.user_uuid`,
  },
  {
    // A refund gives back exactly what its spend took, and only spends are refunded;
    // a won dispute gives back exactly what its dispute took.
    name: "refunds mirror their spend",
    query: sql`
      SELECT r.user_uuid, 'refund ' || r.trans_no || ' of ' || coalesce(s.trans_no, '?') || ' restores ' || r.credits AS detail
      FROM credits r LEFT JOIN credits s ON s.trans_no = r.ref_trans_no
      WHERE r.trans_type IN ('refund', 'dispute_reversal')
        AND (s.trans_no IS NULL OR s.credits >= 0 OR r.credits <> -s.credits OR s.user_uuid <> r.user_uuid
             OR (r.trans_type = 'dispute_reversal' AND s.trans_type <> 'dispute'))`,
  },
  {
    // Refunds and disputes never take back more of a grant than they claim (net of won disputes).
    name: "revocations stay within their claim",
    query: sql`
      SELECT g.user_uuid, 'grant ' || g.trans_no || ': ' || r.net || ' taken back, claim ' || g.revoke_target AS detail
      FROM credit_grants g
      JOIN (SELECT a.grant_trans_no, sum(a.credits) AS net
            FROM credit_allocations a JOIN credits c ON c.trans_no = a.trans_no
            WHERE c.trans_type IN ('order_refund', 'dispute', 'dispute_reversal')
            GROUP BY a.grant_trans_no) r ON r.grant_trans_no = g.trans_no
      WHERE r.net > g.revoke_target OR r.net < 0`,
  },
  {
    // The spendable balance, recomputed from the allocation history and the open holds, is
    // never negative and agrees with the bookkeeping the balance read uses.
    name: "spendable balance agrees with history",
    query: sql`
      SELECT g.user_uuid,
             'spendable ' || sum(g.remaining) || ' vs recomputed ' || sum(g.credits - coalesce(a.taken, 0) - coalesce(h.held, 0)) AS detail
      FROM credit_grants g
      LEFT JOIN (SELECT grant_trans_no, sum(credits) AS taken FROM credit_allocations GROUP BY grant_trans_no) a
        ON a.grant_trans_no = g.trans_no
      LEFT JOIN (${HELD_BY_GRANT}) h ON h.grant_trans_no = g.trans_no
      WHERE g.expired_at IS NULL OR g.expired_at > now()
      GROUP BY g.user_uuid
      HAVING sum(g.remaining) <> sum(g.credits - coalesce(a.taken, 0) - coalesce(h.held, 0)) OR sum(g.remaining) < 0`,
  },
];

export async function verifyLedger(db: Executor = getDb()): Promise<{ users: number; offences: LedgerOffence[] }> {
  const offences: LedgerOffence[] = [];
  for (const check of CHECKS) {
    const rows = rowsOf<{ user_uuid: string; detail: string }>(await db.execute(check.query));
    for (const r of rows) offences.push({ check: check.name, userUuid: r.user_uuid, detail: r.detail });
  }
  const [{ n }] = rowsOf<{ n: string | number }>(await db.execute(sql`SELECT count(*) AS n FROM users`));
  return { users: Number(n), offences };
}
