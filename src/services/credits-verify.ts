/**
 * The ledger's invariant checker (read-only). Each check is one SQL query that
 * returns the offending rows; a clean ledger returns none.
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";

export interface LedgerOffence {
  check: string;
  userUuid: string;
  detail: string;
}

const CHECKS: Array<{ name: string; query: SQL }> = [
  {
    // Every credit the ledger says the user has is held by some grant (spendable or lapsed).
    name: "ledger sum equals grants' remaining",
    query: sql`
      SELECT u.uuid AS user_uuid,
             'ledger ' || coalesce(l.total, 0) || ' vs grants remaining ' || coalesce(g.total, 0) AS detail
      FROM users u
      LEFT JOIN (SELECT user_uuid, sum(credits) AS total FROM credits GROUP BY user_uuid) l ON l.user_uuid = u.uuid
      LEFT JOIN (SELECT user_uuid, sum(remaining) AS total FROM credit_grants GROUP BY user_uuid) g ON g.user_uuid = u.uuid
      WHERE coalesce(l.total, 0) <> coalesce(g.total, 0)`,
  },
  {
    // A grant's remaining is its amount less everything allocated against it.
    name: "grant remaining equals credits minus allocations",
    query: sql`
      SELECT g.user_uuid,
             'grant ' || g.trans_no || ': remaining ' || g.remaining || ', expected ' || (g.credits - coalesce(a.taken, 0)) AS detail
      FROM credit_grants g
      LEFT JOIN (SELECT grant_trans_no, sum(credits) AS taken FROM credit_allocations GROUP BY grant_trans_no) a
        ON a.grant_trans_no = g.trans_no
      WHERE g.remaining <> g.credits - coalesce(a.taken, 0) OR g.remaining < 0 OR g.remaining > g.credits`,
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
    // The spendable balance, recomputed from the allocation history, is never negative
    // and agrees with the bookkeeping the balance read uses.
    name: "spendable balance agrees with history",
    query: sql`
      SELECT g.user_uuid,
             'spendable ' || sum(g.remaining) || ' vs recomputed ' || sum(g.credits - coalesce(a.taken, 0)) AS detail
      FROM credit_grants g
      LEFT JOIN (SELECT grant_trans_no, sum(credits) AS taken FROM credit_allocations GROUP BY grant_trans_no) a
        ON a.grant_trans_no = g.trans_no
      WHERE g.expired_at IS NULL OR g.expired_at > now()
      GROUP BY g.user_uuid
      HAVING sum(g.remaining) <> sum(g.credits - coalesce(a.taken, 0)) OR sum(g.remaining) < 0`,
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
