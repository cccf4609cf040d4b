/** The operator console's overview: read-only aggregates over users, orders, the ledger and tasks. */
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { TRANS_TYPES } from "@/services/credits/ledger";
import { countUsers } from "./users";

export const REVENUE_DAYS = 30;

export interface Overview {
  users: number;
  payingUsers: number;
  /** One entry per day (UTC, oldest first) and currency, amounts in the smallest unit (cents). */
  revenueByDay: Array<{ day: string; currency: string; amount: number; orders: number }>;
  credits: { granted: number; spent: number; expired: number; outstanding: number };
  tasks: {
    byStatus: Record<string, number>;
    byType: Array<{ type: string; total: number; failed: number }>;
    finished: number;
    failed: number;
    /** failed / finished (0 when none finished). */
    failureRate: number;
  };
}

const num = (v: unknown) => Number(v ?? 0);

/** The last REVENUE_DAYS days as YYYY-MM-DD (UTC), oldest first. */
function lastDays(now = new Date()): string[] {
  const days: string[] = [];
  for (let i = REVENUE_DAYS - 1; i >= 0; i--) days.push(new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  return days;
}

export async function getOverview(db: Executor = getDb()): Promise<Overview> {
  const days = lastDays();
  const [userCounts, revenue, ledger, outstanding, statusRows, typeRows] = await Promise.all([
    countUsers(db),
    // Revenue from orders that are paid (refunded ones are not counted).
    db.execute(sql`
      SELECT to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, currency, sum(amount)::bigint AS amount, count(*)::int AS orders
      FROM orders
      WHERE status = 'paid' AND paid_at >= (${days[0]}::date AT TIME ZONE 'UTC')
      GROUP BY 1, 2 ORDER BY 1, 2`),
    // Granted: every grant. Spent: debits for work or by operators, net of refunds.
    // Expired: lapsed grants and credits taken back after a payment refund.
    db.execute(sql`
      SELECT
        coalesce(sum(credits) FILTER (WHERE credits > 0 AND trans_type <> ${TRANS_TYPES.refund}), 0)::bigint AS granted,
        coalesce(-sum(credits) FILTER (WHERE trans_type NOT IN (${TRANS_TYPES.expire}, ${TRANS_TYPES.orderRefund}) AND (credits < 0 OR trans_type = ${TRANS_TYPES.refund})), 0)::bigint AS spent,
        coalesce(-sum(credits) FILTER (WHERE trans_type IN (${TRANS_TYPES.expire}, ${TRANS_TYPES.orderRefund})), 0)::bigint AS expired
      FROM credits`),
    db.execute(sql`
      SELECT coalesce(sum(remaining), 0)::bigint AS outstanding FROM credit_grants
      WHERE remaining > 0 AND (expired_at IS NULL OR expired_at > now())`),
    db.execute(sql`SELECT status, count(*)::int AS n FROM tasks GROUP BY status`),
    db.execute(sql`
      SELECT type, count(*)::int AS total, (count(*) FILTER (WHERE status = 'failed'))::int AS failed
      FROM tasks GROUP BY type ORDER BY type`),
  ]);
  const revenueRows = rowsOf<{ day: string; currency: string; amount: unknown; orders: unknown }>(revenue);
  const currencies = [...new Set(revenueRows.map((r) => r.currency))];
  if (currencies.length === 0) currencies.push("usd");
  const revenueByDay = days.flatMap((day) =>
    currencies.map((currency) => {
      const hit = revenueRows.find((r) => r.day === day && r.currency === currency);
      return { day, currency, amount: num(hit?.amount), orders: num(hit?.orders) };
    }),
  );
  const [l] = rowsOf<{ granted: unknown; spent: unknown; expired: unknown }>(ledger);
  const [o] = rowsOf<{ outstanding: unknown }>(outstanding);
  const byStatus: Record<string, number> = {};
  for (const r of rowsOf<{ status: string; n: unknown }>(statusRows)) byStatus[r.status] = num(r.n);
  const finished = (byStatus.succeeded ?? 0) + (byStatus.failed ?? 0);
  const failed = byStatus.failed ?? 0;
  return {
    ...userCounts,
    revenueByDay,
    credits: { granted: num(l.granted), spent: num(l.spent), expired: num(l.expired), outstanding: num(o.outstanding) },
    tasks: {
      byStatus,
      byType: rowsOf<{ type: string; total: unknown; failed: unknown }>(typeRows).map((r) => ({ type: r.type, total: num(r.total), failed: num(r.failed) })),
      finished,
      failed,
      failureRate: finished === 0 ? 0 : failed / finished,
    },
  };
}
