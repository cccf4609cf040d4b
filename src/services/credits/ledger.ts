/**
 * The credit ledger: with ./holds.ts, the only code that writes `credits`, `credit_grants`,
 * `credit_allocations` and `credit_holds` (see src/db/schema.ts and docs/architecture.md
 * "The credit ledger").
 *
 * Invariants this file keeps:
 * 1. Ledger rows are only ever inserted. A grant's `remaining` in credit_grants is
 *    bookkeeping derived from the ledger: remaining = credits - sum(allocations).
 * 2. Spends burn the grant that expires first, then the oldest; grants without
 *    expiry last. Lapsed grants are never spendable.
 * 3. No overdraft: every write takes the user's row lock (FOR NO KEY UPDATE) first,
 *    so the balance check and the debit happen under one lock, in one transaction.
 *    The debit itself (the hot path) is the SQL function `credits_debit` in
 *    drizzle/0002_credits_debit.sql: lock, balance check and burn-down in one call
 *    (its current version: drizzle/0013, which also refuses a task's debit for a
 *    disabled account). Change it in a new migration (CREATE OR REPLACE FUNCTION).
 * 4. A balance read touches only grants with credits left (partial index).
 * 5. Every debit records the grants it took from; a refund gives exactly that back,
 *    once (its trans_no is derived from the spend's). Keyed grants are idempotent.
 * 6. Holds (reserve, then settle or release once) live beside this file, in ./holds.ts;
 *    the helpers it shares with it are exported below and used nowhere else.
 */
import crypto from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, sql, type Placeholder, type SQL } from "drizzle-orm";
import { PgTransaction, alias } from "drizzle-orm/pg-core";
import { getDb, rowsOf, type Executor, type Tx } from "@/db";
import { creditAllocations, creditGrants, credits, users, type CreditRow } from "@/db/schema";
import { MAX_CREDITS_PER_MOVEMENT } from "@/data/credits";
import { BadRequestError, ConflictError, InsufficientCreditsError, NotFoundError, UnauthorizedError, databaseError } from "@/lib/http/errors";
import { pageWindow, type Page } from "@/lib/http/pagination";
import { z } from "zod";

export const TRANS_TYPES = {
  newUser: "new_user",
  orderPay: "order_pay",
  systemAdd: "system_add",
  systemDeduct: "system_deduct",
  refund: "refund",
  expire: "expire",
  orderRefund: "order_refund",
  dispute: "dispute",
  disputeReversal: "dispute_reversal",
  /** A hold's settlement when its caller names no type of its own (./holds.ts). */
  usage: "usage",
} as const;

/** Types written by the ledger itself; callers cannot grant or spend with them. */
const INTERNAL_TYPES = new Set<string>([
  TRANS_TYPES.refund,
  TRANS_TYPES.expire,
  TRANS_TYPES.orderRefund,
  TRANS_TYPES.dispute,
  TRANS_TYPES.disputeReversal,
]);

/** Audit details stored with a movement (e.g. Stripe object ids): short string values only. */
export type LedgerMetadata = Record<string, string>;

export class InvalidCreditAmountError extends BadRequestError {
  constructor(field = "credits") {
    super(`${field}: must be a whole number between 1 and ${MAX_CREDITS_PER_MOVEMENT}`, field);
  }
}

export class UnknownUserError extends NotFoundError {
  constructor(readonly userUuid: string) {
    super("unknown user");
  }
}

export class UnknownTransactionError extends NotFoundError {
  constructor(readonly transNo: string) {
    super("unknown credit transaction");
  }
}

export class NotASpendError extends BadRequestError {
  constructor(readonly transNo: string) {
    super("transNo: only a spend can be refunded", "transNo");
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function assertAmount(value: unknown, field = "credits"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_CREDITS_PER_MOVEMENT) {
    throw new InvalidCreditAmountError(field);
  }
  return value;
}

export function assertTransType(value: unknown): string {
  if (typeof value !== "string" || !/^[a-z][a-z0-9_]{1,39}$/.test(value) || INTERNAL_TYPES.has(value)) {
    throw new BadRequestError(
      `transType: must be a lower_snake_case name that is not one of ${[...INTERNAL_TYPES].join(", ")}`,
      "transType",
    );
  }
  return value;
}

/**
 * A new, unique, roughly time-ordered transaction number: time, then 16 hex digits
 * of a random UUID (randomUUID draws from a buffered entropy pool; randomBytes is a
 * system call per use, which showed up in the task-creation profile).
 */
export function newTransNo(): string {
  return `${Date.now().toString(36)}${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

/** Serializes every ledger write for one user; throws UnknownUserError when there is no such user. */
export async function lockUser(tx: Tx, userUuid: string): Promise<void> {
  const rows = await tx.select({ id: users.id }).from(users).where(eq(users.id, userUuid)).for("no key update");
  if (rows.length === 0) throw new UnknownUserError(userUuid);
}

/**
 * Runs `fn` in a transaction: the caller's when it passed one (no savepoint, one
 * round trip fewer on the hot path), else a new one.
 */
export function inTransaction<T>(db: Executor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db instanceof PgTransaction ? fn(db as Tx) : db.transaction(fn);
}

// ---------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------

export interface GrantInput {
  userUuid: string;
  credits: number;
  transType: string;
  /** Absolute expiry; null = never expires. */
  expiresAt?: Date | null;
  /** Or a validity in whole days from now. */
  validityDays?: number;
  orderNo?: string;
  reason?: string;
  /** Idempotency key: becomes the trans_no, so a replay grants nothing. */
  key?: string;
  metadata?: LedgerMetadata;
}

function resolveExpiry(input: GrantInput): Date | null {
  if (input.expiresAt !== undefined && input.validityDays !== undefined) {
    throw new BadRequestError("expiresAt: give an expiry or a validity in days, not both", "expiresAt");
  }
  if (input.validityDays !== undefined) {
    const days = input.validityDays;
    if (!Number.isInteger(days) || days < 1 || days > 36500) {
      throw new BadRequestError("validityDays: must be a whole number of days between 1 and 36500", "validityDays");
    }
    return new Date(Date.now() + days * DAY_MS);
  }
  if (input.expiresAt) {
    if (Number.isNaN(input.expiresAt.getTime()) || input.expiresAt.getTime() <= Date.now()) {
      throw new BadRequestError("expiresAt: must be a date in the future", "expiresAt");
    }
    return input.expiresAt;
  }
  return null;
}

export async function grantCredits(
  input: GrantInput,
  db: Executor = getDb(),
): Promise<{ transNo: string; granted: boolean }> {
  const amount = assertAmount(input.credits);
  const transType = assertTransType(input.transType);
  const expiredAt = resolveExpiry(input);
  if (input.key !== undefined && (typeof input.key !== "string" || input.key.length < 1 || input.key.length > 200)) {
    throw new BadRequestError("key: must be 1 to 200 characters", "key");
  }
  return inTransaction(db, async (tx) => {
    await lockUser(tx, input.userUuid);
    const transNo = input.key ?? newTransNo();
    const inserted = await tx
      .insert(credits)
      .values({
        transNo,
        userUuid: input.userUuid,
        transType,
        credits: amount,
        orderNo: input.orderNo,
        reason: input.reason,
        metadata: input.metadata,
        expiredAt,
      })
      .onConflictDoNothing({ target: credits.transNo })
      .returning({ transNo: credits.transNo });
    if (inserted.length === 0) {
      const [existing] = await tx.select({ userUuid: credits.userUuid }).from(credits).where(eq(credits.transNo, transNo));
      if (existing?.userUuid !== input.userUuid) throw new ConflictError("key: already used for another user");
      return { transNo, granted: false };
    }
    await tx.insert(creditGrants).values({ transNo, userUuid: input.userUuid, credits: amount, remaining: amount, expiredAt });
    return { transNo, granted: true };
  });
}

// ---------------------------------------------------------------------------
// Spends
// ---------------------------------------------------------------------------

export interface DecreaseInput {
  userUuid: string;
  credits: number;
  transType: string;
  taskUuid?: string;
  orderNo?: string;
  reason?: string;
}

/** Takes `amount` from `grants` in order; writes the debit row, its allocations and the grants' new remainders. */
async function writeDebit(
  tx: Tx,
  row: {
    transNo: string;
    userUuid: string;
    transType: string;
    taskUuid?: string;
    orderNo?: string;
    refTransNo?: string;
    reason?: string;
    metadata?: LedgerMetadata;
  },
  grants: Array<{ transNo: string; remaining: number; expiredAt: Date | null }>,
  amount: number,
): Promise<void> {
  const takes: Array<{ grantTransNo: string; credits: number }> = [];
  let left = amount;
  for (const g of grants) {
    if (left === 0) break;
    const take = Math.min(g.remaining, left);
    takes.push({ grantTransNo: g.transNo, credits: take });
    left -= take;
  }
  // A spend inherits the expiry of the first grant that covers it (shown in history).
  await tx.insert(credits).values({ ...row, credits: -amount, expiredAt: grants[0]?.expiredAt ?? null });
  await tx.insert(creditAllocations).values(takes.map((t) => ({ transNo: row.transNo, ...t })));
  for (const t of takes) {
    await tx
      .update(creditGrants)
      .set({ remaining: sql`${creditGrants.remaining} - ${t.credits}` })
      .where(eq(creditGrants.transNo, t.grantTransNo));
  }
}

/** A debit's arguments, validated, in `credits_debit`'s parameter order. */
export interface DebitArguments {
  transNo: string;
  userUuid: string;
  transType: string;
  credits: number;
  taskUuid: string | null;
  orderNo: string | null;
  reason: string | null;
}

/** Validates a debit; `transNo` is chosen here unless the caller chose it. Throws 400s. */
export function debitArguments(input: DecreaseInput & { transNo?: string }): DebitArguments {
  return {
    transNo: input.transNo ?? newTransNo(),
    userUuid: input.userUuid,
    transType: assertTransType(input.transType),
    credits: assertAmount(input.credits),
    taskUuid: input.taskUuid ?? null,
    orderNo: input.orderNo ?? null,
    reason: input.reason ?? null,
  };
}

/**
 * A debit as a SQL expression: `credits_debit(...)` (drizzle/0002, now 0013:
 * lock the user, check the balance, burn down the grants), which evaluates to the
 * debit's trans_no. For a caller that must write its own row in the same statement
 * (a task: debit and insert commit together in one round trip). Arguments are the
 * output of `debitArguments`, or Drizzle placeholders filled with it in a prepared
 * statement. What it raises aborts the whole statement; map it with `ledgerError`.
 */
export function debitCall(a: { [K in keyof DebitArguments]: DebitArguments[K] | Placeholder }): SQL<string> {
  return sql<string>`credits_debit(${a.transNo}, ${a.userUuid}, ${a.transType}, ${a.credits}::int, ${a.taskUuid}, ${a.orderNo}, ${a.reason})`;
}

/**
 * Turns what `credits_debit` raises into the ledger's errors: InsufficientCreditsError
 * (with the spendable balance), UnknownUserError, and UnauthorizedError for a task
 * debited to a disabled or deleted account (drizzle/0013: its session may still be
 * cached as active on this instance; the answer is the one the session check gives).
 * Anything else is returned as is.
 */
export function ledgerError(error: unknown, input: { userUuid: string; credits: number }): unknown {
  const db = databaseError(error);
  if (db?.code === "CRD01") return new InsufficientCreditsError(Number(db.detail), input.credits);
  if (db?.code === "CRD02") return new UnknownUserError(input.userUuid);
  if (db?.code === "CRD03") return new UnauthorizedError();
  return error;
}

/**
 * Debits `credits` from the user's spendable grants (one statement); returns the new
 * trans_no or throws InsufficientCreditsError (nothing written).
 */
export async function decreaseCredits(input: DecreaseInput & { transNo?: string }, db: Executor = getDb()): Promise<string> {
  const debit = debitArguments(input);
  const run = (e: Executor) => e.execute(sql`SELECT ${debitCall(debit)}`);
  try {
    // In the caller's transaction, a savepoint keeps that transaction usable after a refusal.
    await (db instanceof PgTransaction ? db.transaction(run) : run(db));
  } catch (error) {
    throw ledgerError(error, input);
  }
  return debit.transNo;
}

/**
 * Guard style from the "Credit System" page: true when the credits were taken,
 * false when the balance was too low (nothing taken). Other errors still throw.
 */
export async function deductCredits(userUuid: string, amount: number, db: Executor = getDb()): Promise<boolean> {
  try {
    await decreaseCredits({ userUuid, credits: amount, transType: TRANS_TYPES.systemDeduct }, db);
    return true;
  } catch (error) {
    if (error instanceof InsufficientCreditsError) return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Refunds, revocations, expiry
// ---------------------------------------------------------------------------

/** Writes an `expire` row taking `grants`' remaining credits (all lapsed) to zero. */
async function writeExpiry(tx: Tx, userUuid: string, transNo: string, refTransNo: string, grants: Array<{ transNo: string; remaining: number; expiredAt: Date | null }>) {
  const total = grants.reduce((s, g) => s + g.remaining, 0);
  if (total === 0) return 0;
  await writeDebit(tx, { transNo, userUuid, transType: TRANS_TYPES.expire, refTransNo }, grants, total);
  return total;
}

/** Movements that take a grant's credits back for its payment (and give them back, won). */
const REVOCATION_TYPES = [TRANS_TYPES.orderRefund, TRANS_TYPES.dispute, TRANS_TYPES.disputeReversal];

/** What refunds and disputes (`types`) of a grant's payment have taken back of it so far, net of won disputes. */
async function netRevoked(tx: Tx, grantTransNo: string, types: string[] = REVOCATION_TYPES): Promise<number> {
  const [{ net }] = await tx
    .select({ net: sql<number>`coalesce(sum(${creditAllocations.credits}), 0)::int` })
    .from(creditAllocations)
    .innerJoin(credits, eq(credits.transNo, creditAllocations.transNo))
    .where(and(eq(creditAllocations.grantTransNo, grantTransNo), inArray(credits.transType, types)));
  return Number(net);
}

type Revocation = typeof TRANS_TYPES.orderRefund | typeof TRANS_TYPES.dispute;

/**
 * Takes from the grant what its payment's refunds and disputes are owed and have not taken
 * (its `revoke_target` less what they took), limited to what is left: at a refund or dispute,
 * and again whenever credits come back to the grant (a failed task's spend refunded, a won
 * dispute given back), so credits spent before the money went back do not return with the
 * task that failed. One movement of `revoke_type`, keyed `key`; 0 when nothing is owed.
 * `upTo`: a revocation's own total instead of the grant's target.
 */
async function collectRevocation(
  tx: Tx,
  grantTransNo: string,
  row: { key: string; transType?: Revocation; upTo?: number; reason?: string; metadata?: LedgerMetadata },
): Promise<number> {
  const [grant] = await tx.select().from(creditGrants).where(eq(creditGrants.transNo, grantTransNo));
  const transType = row.transType ?? (grant?.revokeType as Revocation | null);
  const target = row.upTo ?? grant?.revokeTarget ?? 0;
  if (!grant || !transType || grant.remaining === 0 || target === 0) return 0;
  const take = Math.min(grant.remaining, target - (await netRevoked(tx, grantTransNo)));
  if (take <= 0) return 0;
  const [grantRow] = await tx.select({ orderNo: credits.orderNo }).from(credits).where(eq(credits.transNo, grantTransNo));
  await writeDebit(
    tx,
    {
      transNo: row.key,
      userUuid: grant.userUuid,
      transType,
      orderNo: grantRow?.orderNo ?? undefined,
      refTransNo: grantTransNo,
      reason: row.reason ?? "Taken back: the payment was refunded or disputed",
      metadata: row.metadata,
    },
    [grant],
    take,
  );
  return take;
}

/**
 * Writes `row` (a positive movement referring to the debit `debit`) and gives back
 * exactly what that debit took, to the grants it took from; false when `row.transNo`
 * exists already (a replay). A grant whose payment was refunded or disputed meanwhile
 * passes what it is owed on at once (collectRevocation); credits that return to a grant
 * which has already lapsed expire again at once. Used by spend refunds and won disputes.
 */
async function reverseDebit(
  tx: Tx,
  debit: CreditRow,
  row: { transNo: string; transType: string; reason?: string; metadata?: LedgerMetadata },
): Promise<boolean> {
  const inserted = await tx
    .insert(credits)
    .values({
      transNo: row.transNo,
      userUuid: debit.userUuid,
      transType: row.transType,
      credits: -debit.credits,
      taskUuid: debit.taskUuid,
      orderNo: debit.orderNo,
      refTransNo: debit.transNo,
      reason: row.reason,
      metadata: row.metadata,
    })
    .onConflictDoNothing({ target: credits.transNo })
    .returning({ transNo: credits.transNo });
  if (inserted.length === 0) return false;

  const taken = await tx
    .select({ grantTransNo: creditAllocations.grantTransNo, credits: creditAllocations.credits })
    .from(creditAllocations)
    .where(eq(creditAllocations.transNo, debit.transNo));
  await tx.insert(creditAllocations).values(taken.map((t) => ({ transNo: row.transNo, grantTransNo: t.grantTransNo, credits: -t.credits })));
  const returned: ReturnedCredits[] = [];
  for (const t of taken) {
    const [g] = await tx
      .update(creditGrants)
      .set({ remaining: sql`${creditGrants.remaining} + ${t.credits}` })
      .where(eq(creditGrants.transNo, t.grantTransNo))
      .returning(returnedGrantColumns);
    returned.push({ ...g, credits: t.credits });
  }
  await creditsReturned(tx, debit.userUuid, row.transNo, returned);
  return true;
}

/** Credits that came back to a grant, and the grant as it stands with them (`remaining` includes them). */
export interface ReturnedCredits {
  transNo: string;
  credits: number;
  remaining: number;
  expiredAt: Date | null;
  lapsed: boolean;
}

/** What a ReturnedCredits needs of its grant (an UPDATE's or SELECT's columns). */
export const returnedGrantColumns = {
  transNo: creditGrants.transNo,
  remaining: creditGrants.remaining,
  expiredAt: creditGrants.expiredAt,
  lapsed: sql<boolean>`coalesce(${creditGrants.expiredAt} <= now(), false)`,
};

/**
 * Credits came back to grants (a refunded spend, a won dispute, a released hold: the
 * movement `movement`): what a refund or dispute of a grant's payment claims is taken at
 * once (collectRevocation, `revoke:<grant>:<movement>`), and what came back to a grant that
 * has lapsed, and its claim left, expires again (`expire:<movement>`). Under the user's lock.
 */
export async function creditsReturned(tx: Tx, userUuid: string, movement: string, returned: ReturnedCredits[]): Promise<void> {
  const restored = [];
  for (const g of returned) {
    const collected = await collectRevocation(tx, g.transNo, { key: `revoke:${g.transNo}:${movement}` });
    // Only what this movement brought back, and its claim left, expires again.
    const left = Math.min(g.credits, g.remaining - collected);
    if (g.lapsed && left > 0) restored.push({ transNo: g.transNo, remaining: left, expiredAt: g.expiredAt });
  }
  await writeExpiry(tx, userUuid, `expire:${movement}`, movement, restored);
}

/**
 * Gives back exactly what the spend `transNo` took, to the grants it took from.
 * Once: the refund's trans_no is derived from the spend's, so a replay is a no-op.
 */
export async function refundCredits(
  input: { transNo: string; reason?: string },
  db: Executor = getDb(),
): Promise<{ transNo: string; credits: number; refunded: boolean }> {
  return inTransaction(db, async (tx) => {
    const [spend] = await tx.select().from(credits).where(eq(credits.transNo, input.transNo));
    if (!spend) throw new UnknownTransactionError(input.transNo);
    if (spend.credits >= 0 || INTERNAL_TYPES.has(spend.transType)) throw new NotASpendError(input.transNo);
    await lockUser(tx, spend.userUuid);
    const refundNo = `refund:${spend.transNo}`;
    const refunded = await reverseDebit(tx, spend, { transNo: refundNo, transType: TRANS_TYPES.refund, reason: input.reason });
    return { transNo: refundNo, credits: -spend.credits, refunded };
  });
}

export interface RevokeInput {
  /** The grant to take credits back from (e.g. `order_pay:<order_no>`). */
  grantTransNo: string;
  /** `order_refund` or `dispute`. */
  transType: Revocation;
  /** The movement's trans_no: one revocation per key (a refund id, a dispute id). */
  key: string;
  /**
   * How much of the grant refunds and disputes should have taken in all (e.g.
   * floor(credits x refunded / paid)); what they took is subtracted. Omitted (a dispute):
   * all of it. Limited to what is unspent; what was spent is taken from credits that come
   * back to the grant later (collectRevocation).
   */
  total?: number;
  reason?: string;
  metadata?: LedgerMetadata;
}

/**
 * After a payment refund or a dispute: takes back (part of) what is left of a grant, and
 * raises the grant's `revoke_target` to `total` so credits spent meanwhile are taken when
 * they come back. Idempotent per key; several partial revocations add up and never exceed
 * the grant. A refund while a dispute claims the whole grant changes nothing.
 */
export async function revokeGrantCredits(
  input: RevokeInput,
  db: Executor = getDb(),
): Promise<{ transNo: string | null; credits: number; revoked: boolean }> {
  return inTransaction(db, async (tx) => {
    const [grantRow] = await tx.select().from(credits).where(eq(credits.transNo, input.grantTransNo));
    if (!grantRow || grantRow.credits <= 0) return { transNo: null, credits: 0, revoked: false };
    await lockUser(tx, grantRow.userUuid);
    const [done] = await tx.select({ credits: credits.credits }).from(credits).where(eq(credits.transNo, input.key));
    if (done) return { transNo: input.key, credits: -done.credits, revoked: false };
    const total = Math.min(input.total ?? grantRow.credits, grantRow.credits);
    await tx
      .update(creditGrants)
      .set({ revokeTarget: total, revokeType: input.transType })
      .where(and(eq(creditGrants.transNo, grantRow.transNo), lt(creditGrants.revokeTarget, total)));
    const take = await collectRevocation(tx, grantRow.transNo, { ...input, upTo: total });
    return take > 0 ? { transNo: input.key, credits: take, revoked: true } : { transNo: null, credits: 0, revoked: false };
  });
}

/**
 * After a full payment refund: takes back everything that is left of the order's
 * `order_pay` grant, once per order (key `revoke:<grant>`).
 */
export async function revokeOrderCredits(
  input: { orderNo: string; reason?: string },
  db: Executor = getDb(),
): Promise<{ transNo: string | null; credits: number }> {
  const [grantRow] = await db
    .select({ transNo: credits.transNo })
    .from(credits)
    .where(and(eq(credits.orderNo, input.orderNo), eq(credits.transType, TRANS_TYPES.orderPay)));
  if (!grantRow) return { transNo: null, credits: 0 };
  const result = await revokeGrantCredits(
    { grantTransNo: grantRow.transNo, transType: TRANS_TYPES.orderRefund, key: `revoke:${grantRow.transNo}`, reason: input.reason },
    db,
  );
  return { transNo: result.transNo, credits: result.credits };
}

/**
 * A dispute closed in the merchant's favour (won): the grant's `revoke_target` drops to
 * `target` (what refunds of the payment still claim; 0 without one), and each dispute
 * movement of the grant is given back exactly: `key` for `disputeTransNo`,
 * `dispute_reversal:<trans_no>` for what the dispute took of credits that came back while it
 * was open. What the refunds claim is then taken again (a refund made during an inquiry).
 * Once: replays find every movement reversed. `credits`: what the user has back in all.
 */
export async function reverseDisputeCredits(
  input: { grantTransNo: string; disputeTransNo: string; key: string; target: number; reason?: string; metadata?: LedgerMetadata },
  db: Executor = getDb(),
): Promise<{ credits: number; reversed: boolean }> {
  return inTransaction(db, async (tx) => {
    const [grantRow] = await tx.select().from(credits).where(eq(credits.transNo, input.grantTransNo));
    if (!grantRow || grantRow.credits <= 0) return { credits: 0, reversed: false };
    await lockUser(tx, grantRow.userUuid);
    // Never below what refunds took already (`target` may not know an older invoice's refunds).
    const target = Math.min(Math.max(input.target, await netRevoked(tx, input.grantTransNo, [TRANS_TYPES.orderRefund])), grantRow.credits);
    const [before] = await tx
      .update(creditGrants)
      .set({ revokeTarget: target, revokeType: TRANS_TYPES.orderRefund })
      .where(eq(creditGrants.transNo, input.grantTransNo))
      .returning({ remaining: creditGrants.remaining });
    const reversal = alias(credits, "reversal");
    const open = await tx
      .select()
      .from(credits)
      .leftJoin(reversal, and(eq(reversal.refTransNo, credits.transNo), eq(reversal.transType, TRANS_TYPES.disputeReversal)))
      .where(and(eq(credits.refTransNo, input.grantTransNo), eq(credits.transType, TRANS_TYPES.dispute), isNull(reversal.transNo)))
      .orderBy(asc(credits.id));
    let reversed = false;
    for (const { credits: debit } of open) {
      const transNo = debit.transNo === input.disputeTransNo ? input.key : `${TRANS_TYPES.disputeReversal}:${debit.transNo}`;
      reversed = (await reverseDebit(tx, debit, { transNo, transType: TRANS_TYPES.disputeReversal, reason: input.reason, metadata: input.metadata })) || reversed;
    }
    const [after] = await tx.select({ remaining: creditGrants.remaining }).from(creditGrants).where(eq(creditGrants.transNo, input.grantTransNo));
    return { credits: Math.max(0, after.remaining - before.remaining), reversed };
  });
}

/**
 * Writes one `expire` row per lapsed grant that still has credits, taking them
 * to zero. Safe to run from many instances at once: each grant's expire row has
 * a trans_no derived from the grant, and work happens under the user's lock.
 */
export async function expireCredits(
  options: { limit?: number } = {},
  db: Executor = getDb(),
): Promise<{ grants: number; credits: number }> {
  const lapsed = await db
    .select({ transNo: creditGrants.transNo, userUuid: creditGrants.userUuid })
    .from(creditGrants)
    .where(and(gt(creditGrants.remaining, 0), lte(creditGrants.expiredAt, sql`now()`)))
    .orderBy(asc(creditGrants.expiredAt))
    .limit(options.limit ?? 1000);
  let total = 0;
  let count = 0;
  for (const { transNo, userUuid } of lapsed) {
    total += await inTransaction(db, async (tx) => {
      await lockUser(tx, userUuid);
      const [grant] = await tx
        .select({ transNo: creditGrants.transNo, remaining: creditGrants.remaining, expiredAt: creditGrants.expiredAt })
        .from(creditGrants)
        .where(eq(creditGrants.transNo, transNo));
      if (!grant || grant.remaining === 0) return 0;
      const [exists] = await tx.select({ id: credits.id }).from(credits).where(eq(credits.transNo, `expire:${transNo}`));
      if (exists) return 0;
      count++;
      return writeExpiry(tx, userUuid, `expire:${transNo}`, transNo, [grant]);
    });
  }
  return { grants: count, credits: total };
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

/** GET /api/credits: the one definition of its shape. */
export const userCreditsSchema = z
  .object({
    balance: z.int().meta({ description: "Spendable now." }),
    held: z.int().meta({ description: "Reserved by open holds (metered tasks): not spendable, not spent yet." }),
    nextExpiry: z
      .object({ credits: z.int(), expiresAt: z.iso.datetime() })
      .nullable()
      .meta({ description: "The next batch of credits to lapse, if any." }),
  })
  .meta({ id: "Credits" });

export type UserCredits = z.infer<typeof userCreditsSchema>;

/** Spendable balance, held credits and the next batch of credits to expire; cost O(active grants + open holds). */
export async function getUserCredits(userUuid: string, db: Executor = getDb()): Promise<UserCredits> {
  const result = await db.execute(sql`
    WITH active AS (
      SELECT remaining, expired_at FROM credit_grants
      WHERE user_uuid = ${userUuid} AND remaining > 0 AND (expired_at IS NULL OR expired_at > now())
    ), soonest AS (SELECT min(expired_at) AS at FROM active)
    SELECT
      (SELECT coalesce(sum(remaining), 0) FROM active)::bigint AS balance,
      (SELECT at FROM soonest) AS next_at,
      (SELECT coalesce(sum(remaining), 0) FROM active, soonest WHERE active.expired_at = soonest.at)::bigint AS next_credits,
      (SELECT coalesce(sum(credits), 0) FROM credit_holds WHERE user_uuid = ${userUuid} AND status = 'held')::bigint AS held`);
  const [row] = rowsOf<{ balance: string | number; next_at: string | Date | null; next_credits: string | number; held: string | number }>(result);
  return {
    balance: Number(row.balance),
    held: Number(row.held),
    nextExpiry: row.next_at
      ? { credits: Number(row.next_credits), expiresAt: new Date(row.next_at).toISOString() }
      : null,
  };
}

/** One ledger row as GET /api/credits/history answers it: the one definition of its shape. */
export const creditHistoryItemSchema = z
  .object({
    transNo: z.string(),
    transType: z.string().meta({ description: "new_user, order_pay, task_<type>, refund, expire, ..." }),
    credits: z.int().meta({ description: "Signed: a grant is positive, a spend negative." }),
    orderNo: z.string().nullable(),
    taskUuid: z.string().nullable(),
    refTransNo: z.string().nullable(),
    reason: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    reserved: z.int().nullable().meta({ description: "A hold's settlement: the credits that were reserved (`credits` is what was spent); else null." }),
    expiredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "CreditHistoryItem" });

export type CreditHistoryItem = z.infer<typeof creditHistoryItemSchema>;

function toHistoryItem(r: CreditRow): CreditHistoryItem {
  const reserved = r.metadata?.hold && r.metadata.hold === r.transNo ? Number(r.metadata.reserved) : NaN;
  return {
    transNo: r.transNo,
    transType: r.transType,
    credits: r.credits,
    orderNo: r.orderNo,
    taskUuid: r.taskUuid,
    refTransNo: r.refTransNo,
    reason: r.reason,
    metadata: r.metadata ?? null,
    reserved: Number.isInteger(reserved) ? reserved : null,
    expiredAt: r.expiredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The user's ledger, newest first. */
export async function listCredits(
  userUuid: string,
  options: { page?: number; pageSize?: number } = {},
  db: Executor = getDb(),
): Promise<Page<CreditHistoryItem>> {
  const window = pageWindow(options);
  const rows = await db
    .select()
    .from(credits)
    .where(eq(credits.userUuid, userUuid))
    .orderBy(desc(credits.id))
    .limit(window.limit)
    .offset(window.offset);
  return window.toPage(rows.map(toHistoryItem));
}
