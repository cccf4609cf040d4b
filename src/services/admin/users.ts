/**
 * The operator console's user views and actions. Ledger writes go through
 * src/services/credits/ledger.ts only; sessions through src/services/accounts/sessions.ts. Every action
 * takes the user's row lock, acts, and writes its audit row in one transaction.
 */
import { and, desc, eq, gt, ilike, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor, type Tx } from "@/db";
import { creditGrants, orders, tasks, users, type OrderStatus, type TaskStatus } from "@/db/schema";
import { MAX_CREDITS_PER_MOVEMENT } from "@/data/credits";
import { parseInput } from "@/lib/http/api";
import { normalizeEmail } from "@/lib/email";
import { ConflictError, NotFoundError } from "@/lib/http/errors";
import { pageWindow, type Page } from "@/lib/http/pagination";
import { TRANS_TYPES, decreaseCredits, getUserCredits, grantCredits, listCredits, type CreditHistoryItem } from "@/services/credits/ledger";
import { disableUser, enableUser, forgetUserSessions } from "@/services/accounts/sessions";
import { writeAudit, type AdminActor } from "./audit";

export const uuidParam = z.string().min(1, "is required").max(100, "is too long");

export interface AdminUserSummary {
  uuid: string;
  email: string;
  name: string | null;
  createdAt: string;
  disabledAt: string | null;
}

const summaryColumns = {
  uuid: users.id,
  email: users.email,
  name: users.name,
  createdAt: users.createdAt,
  disabledAt: users.disabledAt,
};

function toSummary(r: { uuid: string; email: string; name: string | null; createdAt: Date; disabledAt: Date | null }): AdminUserSummary {
  return { ...r, createdAt: r.createdAt.toISOString(), disabledAt: r.disabledAt?.toISOString() ?? null };
}

export const userSearchSchema = z.object({
  q: z.string({ error: "must be a string" }).trim().max(254, "must be at most 254 characters").optional(),
});

/** Users whose email contains `q` (case-insensitive), newest first. */
export async function searchUsers(
  options: { q?: string; page?: number; pageSize?: number } = {},
  db: Executor = getDb(),
): Promise<Page<AdminUserSummary>> {
  const { q } = parseInput(userSearchSchema, { q: options.q });
  const window = pageWindow(options);
  // LIKE wildcards in the search text are matched literally.
  const pattern = q ? `%${normalizeEmail(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const rows = await db
    .select(summaryColumns)
    .from(users)
    .where(pattern ? ilike(users.email, pattern) : undefined)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(window.limit)
    .offset(window.offset);
  return window.toPage(rows.map(toSummary));
}

export interface AdminUserDetail {
  user: AdminUserSummary;
  balance: number;
  grants: Array<{ transNo: string; credits: number; remaining: number; expiresAt: string | null; createdAt: string }>;
  ledger: CreditHistoryItem[];
  tasks: Array<{ uuid: string; type: string; status: TaskStatus; creditsUsed: number; refundTransNo: string | null; errorMessage: string | null; createdAt: string }>;
  orders: Array<{ orderNo: string; status: OrderStatus; credits: number; amount: number; currency: string; createdAt: string; paidAt: string | null }>;
}

const RECENT = 20;

/** A user's account as an operator sees it; 404 for an unknown uuid. */
export async function getUserDetail(userUuid: string, db: Executor = getDb()): Promise<AdminUserDetail> {
  const uuid = parseInput(uuidParam, userUuid);
  const [user] = await db.select(summaryColumns).from(users).where(eq(users.id, uuid));
  if (!user) throw new NotFoundError("unknown user");
  const [balance, grants, ledger, taskRows, orderRows] = await Promise.all([
    getUserCredits(uuid, db),
    db
      .select()
      .from(creditGrants)
      .where(and(eq(creditGrants.userUuid, uuid), gt(creditGrants.credits, 0)))
      .orderBy(desc(creditGrants.createdAt))
      .limit(RECENT),
    listCredits(uuid, { pageSize: RECENT }, db),
    db
      .select({
        uuid: tasks.uuid,
        type: tasks.type,
        status: tasks.status,
        creditsUsed: tasks.creditsUsed,
        refundTransNo: tasks.refundTransNo,
        errorMessage: tasks.errorMessage,
        createdAt: tasks.createdAt,
      })
      .from(tasks)
      .where(eq(tasks.userUuid, uuid))
      .orderBy(desc(tasks.createdAt))
      .limit(RECENT),
    db
      .select({
        orderNo: orders.orderNo,
        status: orders.status,
        credits: orders.credits,
        amount: orders.amount,
        currency: orders.currency,
        createdAt: orders.createdAt,
        paidAt: orders.paidAt,
      })
      .from(orders)
      .where(eq(orders.userUuid, uuid))
      .orderBy(desc(orders.createdAt))
      .limit(RECENT),
  ]);
  return {
    user: toSummary(user),
    balance: balance.balance,
    grants: grants.map((g) => ({
      transNo: g.transNo,
      credits: g.credits,
      remaining: g.remaining,
      expiresAt: g.expiredAt?.toISOString() ?? null,
      createdAt: g.createdAt.toISOString(),
    })),
    ledger: ledger.items,
    tasks: taskRows.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })),
    orders: orderRows.map((o) => ({ ...o, createdAt: o.createdAt.toISOString(), paidAt: o.paidAt?.toISOString() ?? null })),
  };
}

/** Locks the user's row for the rest of the transaction (the ledger's lock); 404 when unknown. */
async function lockUser(tx: Tx, userUuid: string) {
  const [row] = await tx
    .select({ uuid: users.id, email: users.email, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userUuid))
    .for("no key update");
  if (!row) throw new NotFoundError("unknown user");
  return row;
}

export const reasonSchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(500, "must be at most 500 characters");

export const adjustCreditsSchema = z.object({
  credits: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(-MAX_CREDITS_PER_MOVEMENT, `must be between -${MAX_CREDITS_PER_MOVEMENT} and ${MAX_CREDITS_PER_MOVEMENT}`)
    .max(MAX_CREDITS_PER_MOVEMENT, `must be between -${MAX_CREDITS_PER_MOVEMENT} and ${MAX_CREDITS_PER_MOVEMENT}`)
    .refine((n) => n !== 0, "must not be 0"),
  reason: reasonSchema,
});
export type AdjustCreditsInput = z.infer<typeof adjustCreditsSchema>;

export interface AdjustCreditsResult {
  transNo: string;
  credits: number;
  balanceBefore: number;
  balanceAfter: number;
}

/**
 * Grants (credits > 0, ledger `system_add`) or deducts (credits < 0, `system_deduct`)
 * credits with a reason; the acting admin goes into the ledger row's reason and the
 * audit log. A deduct larger than the spendable balance is refused (402, nothing
 * written): it goes through the ledger's one debit path, which never overdraws.
 */
export async function adjustUserCredits(
  actor: AdminActor,
  userUuid: string,
  input: unknown,
  db: Executor = getDb(),
): Promise<AdjustCreditsResult> {
  const uuid = parseInput(uuidParam, userUuid);
  const { credits, reason } = parseInput(adjustCreditsSchema, input);
  const ledgerReason = `${reason} (admin ${actor.email})`;
  return db.transaction(async (tx) => {
    await lockUser(tx, uuid);
    const before = (await getUserCredits(uuid, tx)).balance;
    const transNo =
      credits > 0
        ? (await grantCredits({ userUuid: uuid, credits, transType: TRANS_TYPES.systemAdd, reason: ledgerReason }, tx)).transNo
        : await decreaseCredits({ userUuid: uuid, credits: -credits, transType: TRANS_TYPES.systemDeduct, reason: ledgerReason }, tx);
    const after = (await getUserCredits(uuid, tx)).balance;
    await writeAudit(
      actor,
      {
        action: credits > 0 ? "credits.grant" : "credits.deduct",
        targetType: "user",
        targetId: uuid,
        before: { balance: before },
        after: { balance: after, credits, transNo },
        reason,
      },
      tx,
    );
    return { transNo, credits, balanceBefore: before, balanceAfter: after };
  });
}

export const statusReasonSchema = z.object({ reason: reasonSchema.optional() });

/**
 * Disables (every session ends, no sign-in) or enables an account. An admin cannot
 * disable their own account (409). Repeating the current state changes nothing and
 * writes no audit row.
 */
export async function setUserDisabled(
  actor: AdminActor,
  userUuid: string,
  disabled: boolean,
  input: unknown = {},
  db: Executor = getDb(),
): Promise<{ uuid: string; disabled: boolean; changed: boolean }> {
  const uuid = parseInput(uuidParam, userUuid);
  const { reason } = parseInput(statusReasonSchema, input ?? {});
  if (disabled && uuid === actor.uuid) throw new ConflictError("you cannot disable your own account");
  const changed = await db.transaction(async (tx) => {
    const row = await lockUser(tx, uuid);
    if (!!row.disabledAt === disabled) return false;
    if (disabled) await disableUser(uuid, tx);
    else await enableUser(uuid, tx);
    const [now] = await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, uuid));
    await writeAudit(
      actor,
      {
        action: disabled ? "user.disable" : "user.enable",
        targetType: "user",
        targetId: uuid,
        before: { disabledAt: row.disabledAt?.toISOString() ?? null },
        after: { disabledAt: now.disabledAt?.toISOString() ?? null },
        reason: reason ?? null,
      },
      tx,
    );
    return true;
  });
  // The session cache may have re-read the row before the commit: forget it again.
  if (changed) forgetUserSessions(uuid);
  return { uuid, disabled, changed };
}

/** Counts for the overview: all users, and users with at least one paid order. */
export async function countUsers(db: Executor = getDb()): Promise<{ users: number; payingUsers: number }> {
  const [row] = await db
    .select({
      users: sql<number>`count(*)::int`,
      payingUsers: sql<number>`count(*) filter (where exists (select 1 from ${orders} where ${orders.userUuid} = ${users.id} and ${orders.paidAt} is not null))::int`,
    })
    .from(users);
  return { users: Number(row.users), payingUsers: Number(row.payingUsers) };
}
