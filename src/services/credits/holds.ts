/**
 * Credit holds: two-phase spends (docs/architecture.md, ledger invariant 7; after
 * TigerBeetle's pending transfers). For work whose price is known only afterwards (a chat
 * reply's tokens, a metered task's seconds): reserve the most it can cost, do the work,
 * then spend what it used and give the rest back.
 *
 *   holdCredits(user, max)   reserves `max` against the spendable balance (402 when it does
 *                            not fit, exactly like a debit). The credits leave their grants'
 *                            `remaining` (burn-down order) and are recorded on the hold: not
 *                            spendable, not spent. Nothing is written to the ledger yet.
 *   settleHold(hold, n)      0 <= n <= held: one ledger spend of n (trans_no = the hold's id,
 *                            allocated to the hold's grants in burn-down order), the rest back.
 *   releaseHold(hold)        everything back; nothing in the ledger (nothing moved).
 *   expireHolds()            the sweeper: holds past `expiresAt` are released (`expired`).
 *   withCreditHold(...)      hold, run, settle what the work returns, release if it throws.
 *
 * Rules this file keeps:
 * 1. A hold resolves once. Settle, release and expiry each lock the user's row and the hold's
 *    and apply only to an open hold, so of any number racing exactly one applies. Later calls
 *    write nothing: asking for what already happened (the same settlement; a release of a
 *    released or expired hold) returns the hold with `applied: false`; asking for anything
 *    else (settling a released or expired hold, settling another amount, releasing a settled
 *    hold) throws HoldResolvedError (409).
 * 2. Idempotent by key: the same key (per user) with the same amount is the same hold, never a
 *    second reservation; with another amount, HoldKeyReusedError (409).
 * 3. Held credits are not spendable: debits, other holds, and refunds and disputes of the
 *    grant's payment cannot take them. What a settlement gives back to a grant whose payment
 *    was refunded or disputed meanwhile goes to that claim at once; what goes back to a grant
 *    that has lapsed meanwhile expires at once (ledger.ts creditsReturned). The reserved part a
 *    settlement spends stays spendable from a lapsed grant: it was reserved while valid.
 * 4. Per user, granted = spent + expired + held + remaining (credits:verify checks it).
 *
 * The hot path is one statement each (SQL functions credits_hold / credits_hold_resolve,
 * drizzle/0016_credits_hold.sql); a resolution that gives credits back to a lapsed or claimed
 * grant runs again in a transaction that applies those rules.
 */
import { and, asc, inArray, lte, sql, type Placeholder, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { getDb, rowsOf, type Executor, type Tx } from "@/db";
import { creditGrants, creditHolds, type HoldStatus } from "@/db/schema";
import { HOLD_DEFAULT_TTL_MS, HOLD_MAX_TTL_MS, MAX_CREDITS_PER_MOVEMENT } from "@/data/credits";
import { AppError, BadRequestError, NotFoundError, databaseError } from "@/lib/http/errors";
import { logger } from "@/lib/logger";
import {
  TRANS_TYPES,
  assertAmount,
  assertTransType,
  creditsReturned,
  ledgerError,
  newTransNo,
  returnedGrantColumns,
  type LedgerMetadata,
} from "./ledger";

export type { HoldStatus } from "@/db/schema";

/** A hold as the API hands it out. */
export interface CreditHold {
  id: string;
  userUuid: string;
  /** Reserved. */
  credits: number;
  status: HoldStatus;
  /** What the settlement spent (0..credits); null unless settled. */
  settledCredits: number | null;
  /** The ledger row of the settlement's spend (= id) when it spent anything; else null. */
  spendTransNo: string | null;
  transType: string;
  taskUuid: string | null;
  reason: string | null;
  key: string | null;
  metadata: LedgerMetadata | null;
  expiresAt: Date;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface HoldOptions {
  /** Shown with the settlement's spend in the ledger (e.g. "chat reply"); at most 500 characters. */
  reason?: string;
  /** When the sweeper releases the hold if nobody resolved it: default 15 minutes from now, at most 7 days. */
  expiresAt?: Date;
  /** Idempotency key, per user (1-200 characters): the same key and amount is the same hold. */
  key?: string;
  /** The settlement spend's trans_type (the credits page labels it); default `usage`. */
  transType?: string;
  /** Audit details copied to the settlement's spend, e.g. { conversation, message }; `hold` and `reserved` are set by the ledger. */
  metadata?: LedgerMetadata;
  /** The task the hold pays for (a metered task type's creation sets it). */
  taskUuid?: string;
}

/** 404: no hold with that id. */
export class UnknownHoldError extends NotFoundError {
  constructor(readonly holdId: string) {
    super("unknown credit hold");
  }
}

/** 409: the hold was already resolved otherwise (settled with another amount, released, expired). Nothing was written. */
export class HoldResolvedError extends AppError {
  constructor(readonly hold: CreditHold) {
    super(409, `the credit hold is already ${hold.status}`, { holdId: hold.id, status: hold.status, settledCredits: hold.settledCredits });
  }
}

/** 409: the key belongs to a hold of another amount (holdCredits), or to one made earlier (withCreditHold). Nothing was written. */
export class HoldKeyReusedError extends AppError {
  constructor(message: string, details: { credits: number; holdId?: string; status?: HoldStatus }) {
    super(409, message, { field: "key", ...details });
  }
}

// ---------------------------------------------------------------------------
// Arguments and the SQL calls
// ---------------------------------------------------------------------------

/** A hold's arguments, validated, in `credits_hold`'s parameter order (metadata as JSON text). */
export interface HoldArguments {
  id: string;
  userUuid: string;
  credits: number;
  transType: string;
  taskUuid: string | null;
  reason: string | null;
  key: string | null;
  /** ISO 8601. */
  expiresAt: string;
  metadata: string | null;
}

function assertMetadata(value: unknown): LedgerMetadata | undefined {
  if (value === undefined) return undefined;
  const ok =
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.entries(value).length <= 20 &&
    Object.entries(value).every(([k, v]) => k.length <= 100 && typeof v === "string" && v.length <= 500);
  if (!ok) throw new BadRequestError("metadata: must be an object of at most 20 short string values", "metadata");
  return value as LedgerMetadata;
}

/** Validates a hold (400 naming the field); the hold's id is chosen here. */
export function holdArguments(userUuid: string, credits: unknown, options: HoldOptions = {}): HoldArguments {
  const amount = assertAmount(credits);
  const transType = assertTransType(options.transType ?? TRANS_TYPES.usage);
  const now = Date.now();
  const expiresAt = options.expiresAt ?? new Date(now + HOLD_DEFAULT_TTL_MS);
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now || expiresAt.getTime() > now + HOLD_MAX_TTL_MS) {
    throw new BadRequestError("expiresAt: must be a date in the future, at most 7 days from now", "expiresAt");
  }
  if (options.key !== undefined && (typeof options.key !== "string" || options.key.length < 1 || options.key.length > 200)) {
    throw new BadRequestError("key: must be 1 to 200 characters", "key");
  }
  if (options.reason !== undefined && (typeof options.reason !== "string" || options.reason.length > 500)) {
    throw new BadRequestError("reason: must be at most 500 characters", "reason");
  }
  const metadata = assertMetadata(options.metadata);
  return {
    id: newTransNo(),
    userUuid,
    credits: amount,
    transType,
    taskUuid: options.taskUuid ?? null,
    reason: options.reason ?? null,
    key: options.key ?? null,
    expiresAt: expiresAt.toISOString(),
    metadata: metadata ? JSON.stringify(metadata) : null,
  };
}

/**
 * A hold as a SQL expression: `credits_hold(...)` (lock the user, check the balance, burn
 * down the grants into a new credit_holds row), which evaluates to that row. For a caller
 * that must write its own row in the same statement (a metered task: `(credits_hold(...)).id`
 * and the task commit together). Arguments are the output of `holdArguments`, or Drizzle
 * placeholders filled with it. What it raises aborts the whole statement; map it with `holdError`.
 */
export function holdCall(a: { [K in keyof HoldArguments]: HoldArguments[K] | Placeholder }): SQL<unknown> {
  return sql`credits_hold(${a.id}, ${a.userUuid}, ${a.credits}::int, ${a.transType}, ${a.taskUuid}, ${a.reason}, ${a.key}, ${a.expiresAt}::timestamptz, ${a.metadata}::jsonb)`;
}

/**
 * Turns what the hold functions raise into errors: those of ledgerError (402 with the
 * balance, unknown user, 401 for a disabled account), UnknownHoldError, HoldKeyReusedError,
 * a 400 for a settlement above the held amount. Anything else is returned as is.
 */
export function holdError(error: unknown, input: { userUuid?: string; credits?: number; holdId?: string }): unknown {
  const db = databaseError(error);
  if (db?.code === "CRH01") return new UnknownHoldError(input.holdId ?? "");
  if (db?.code === "CRH02") return new BadRequestError(`actual: must not exceed the ${db.detail} credits held`, "actual");
  if (db?.code === "CRH03") return new HoldKeyReusedError(`key: already used for a hold of ${db.detail} credits`, { credits: Number(db.detail) });
  return ledgerError(error, { userUuid: input.userUuid ?? "", credits: input.credits ?? 0 });
}

type HoldRow = {
  id: string;
  user_uuid: string;
  credits: number;
  status: HoldStatus;
  settled_credits: number | null;
  trans_type: string;
  task_uuid: string | null;
  reason: string | null;
  key: string | null;
  metadata: LedgerMetadata | string | null;
  expires_at: Date | string;
  created_at: Date | string;
  resolved_at: Date | string | null;
};

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

function toHold(r: HoldRow): CreditHold {
  const settled = r.settled_credits === null ? null : Number(r.settled_credits);
  return {
    id: r.id,
    userUuid: r.user_uuid,
    credits: Number(r.credits),
    status: r.status,
    settledCredits: settled,
    spendTransNo: settled ? r.id : null,
    transType: r.trans_type,
    taskUuid: r.task_uuid,
    reason: r.reason,
    key: r.key,
    metadata: typeof r.metadata === "string" ? (JSON.parse(r.metadata) as LedgerMetadata) : r.metadata,
    expiresAt: asDate(r.expires_at),
    createdAt: asDate(r.created_at),
    resolvedAt: r.resolved_at === null ? null : asDate(r.resolved_at),
  };
}

const holdIdOf = (hold: string | { id: string }) => (typeof hold === "string" ? hold : hold.id);

// ---------------------------------------------------------------------------
// Hold, settle, release, expire
// ---------------------------------------------------------------------------

/**
 * Reserves `credits` (a whole number, 1..10,000,000) of the user's spendable balance.
 * `created` is false when `options.key` named an earlier hold of the same amount (returned
 * as it stands, whatever its status; nothing reserved again). Throws InvalidCreditAmountError
 * / BadRequestError (400), UnauthorizedError (401: the account is disabled or deleted),
 * InsufficientCreditsError (402, with the balance), UnknownUserError (404),
 * HoldKeyReusedError (409). Nothing is written when it throws.
 */
export async function holdCredits(
  userUuid: string,
  credits: number,
  options: HoldOptions = {},
  db: Executor = getDb(),
): Promise<{ hold: CreditHold; created: boolean }> {
  const args = holdArguments(userUuid, credits, options);
  const run = (e: Executor) => e.execute(sql`SELECT * FROM ${holdCall(args)}`);
  let result;
  try {
    // In the caller's transaction, a savepoint keeps that transaction usable after a refusal.
    result = await (db instanceof PgTransaction ? db.transaction(run) : run(db));
  } catch (error) {
    throw holdError(error, { userUuid, credits: args.credits });
  }
  const [row] = rowsOf<HoldRow>(result);
  return { hold: toHold(row), created: row.id === args.id };
}

type Resolution = "settled" | "released" | "expired";

type ResolveRow = HoldRow & { applied: boolean; returned_grants: string[] | null; returned_credits: number[] | null };

function resolveCall(e: Executor, holdId: string, status: Resolution, actual: number, followups: boolean) {
  return e.execute(sql`
    SELECT r.applied, r.returned_grants, r.returned_credits, (r.hold).*
    FROM credits_hold_resolve(${holdId}, ${status}, ${actual}::int, ${followups}) r`);
}

/** Resolves in `tx` and applies the rules for credits going back to lapsed or claimed grants. */
async function resolveWithFollowups(tx: Tx, holdId: string, status: Resolution, actual: number): Promise<ResolveRow> {
  const [row] = rowsOf<ResolveRow>(await resolveCall(tx, holdId, status, actual, true));
  const grants = row.returned_grants ?? [];
  if (row.applied && grants.length > 0) {
    const back = new Map(grants.map((g, i) => [g, Number(row.returned_credits![i])]));
    const state = await tx.select(returnedGrantColumns).from(creditGrants).where(inArray(creditGrants.transNo, grants));
    const returned = grants.map((g) => ({ ...state.find((s) => s.transNo === g)!, credits: back.get(g)! }));
    await creditsReturned(tx, row.user_uuid, row.id, returned);
  }
  return row;
}

/** One resolution: a single statement, or a transaction when credits go back to a lapsed or claimed grant. */
async function resolve(holdId: string, status: Resolution, actual: number, db: Executor): Promise<{ hold: CreditHold; applied: boolean }> {
  let row: ResolveRow;
  try {
    if (db instanceof PgTransaction) {
      row = await resolveWithFollowups(db as Tx, holdId, status, actual);
    } else {
      [row] = rowsOf<ResolveRow>(await resolveCall(db, holdId, status, actual, false));
      // Credits would go back to a lapsed or claimed grant: nothing was written; again, with the rules.
      if (!row.applied && row.status === "held" && row.returned_grants) {
        row = await db.transaction((tx) => resolveWithFollowups(tx, holdId, status, actual));
      }
    }
  } catch (error) {
    throw holdError(error, { holdId });
  }
  return { hold: toHold(row), applied: row.applied };
}

/**
 * Spends `actual` (a whole number, 0..held) of the hold and gives the rest back, once.
 * `applied` is false for a repeat of the same settlement (nothing written). Throws
 * BadRequestError (400: not a whole number, negative, above the held amount),
 * UnknownHoldError (404), HoldResolvedError (409: released, expired, or settled with
 * another amount). Nothing is written when it throws.
 */
export async function settleHold(
  hold: string | { id: string },
  actual: number,
  db: Executor = getDb(),
): Promise<{ hold: CreditHold; applied: boolean }> {
  if (typeof actual !== "number" || !Number.isInteger(actual) || actual < 0 || actual > MAX_CREDITS_PER_MOVEMENT) {
    throw new BadRequestError("actual: must be a whole number of credits, 0 or more", "actual");
  }
  const result = await resolve(holdIdOf(hold), "settled", actual, db);
  if (!result.applied && !(result.hold.status === "settled" && result.hold.settledCredits === actual)) {
    throw new HoldResolvedError(result.hold);
  }
  return result;
}

/**
 * Gives all of the hold back, once. `applied` is false when it was released or expired
 * already (nothing written). Throws UnknownHoldError (404), HoldResolvedError (409: settled).
 */
export async function releaseHold(hold: string | { id: string }, db: Executor = getDb()): Promise<{ hold: CreditHold; applied: boolean }> {
  const result = await resolve(holdIdOf(hold), "released", 0, db);
  if (!result.applied && result.hold.status === "settled") throw new HoldResolvedError(result.hold);
  return result;
}

/** The hold, or null. */
export async function getHold(holdId: string, db: Executor = getDb()): Promise<CreditHold | null> {
  const result = await db.execute(sql`SELECT * FROM ${creditHolds} WHERE id = ${holdId}`);
  const [row] = rowsOf<HoldRow>(result);
  return row ? toHold(row) : null;
}

/**
 * The sweeper's part: releases open holds past their `expiresAt` (status `expired`), oldest
 * first, at most `limit`. Safe on many instances at once: each release applies once. `ids`:
 * the holds this call expired (their owners may clean up after the work that never resolved them).
 */
export async function expireHolds(options: { limit?: number } = {}, db: Executor = getDb()): Promise<{ holds: number; credits: number; ids: string[] }> {
  const due = await db
    .select({ id: creditHolds.id })
    .from(creditHolds)
    // A literal 'held' (not a parameter), so even a generic plan uses the partial index of open holds.
    .where(and(sql`${creditHolds.status} = 'held'`, lte(creditHolds.expiresAt, sql`now()`)))
    .orderBy(asc(creditHolds.expiresAt))
    .limit(options.limit ?? 1000);
  const ids: string[] = [];
  let credits = 0;
  for (const { id } of due) {
    const { hold, applied } = await resolve(id, "expired", 0, db);
    if (!applied) continue;
    ids.push(id);
    credits += hold.credits;
  }
  return { holds: ids.length, credits, ids };
}

// ---------------------------------------------------------------------------
// The one-liner
// ---------------------------------------------------------------------------

/**
 * Metered billing around any piece of work: holds `maxCredits` (402 before the work starts
 * when they are not there), runs `work(hold)`, settles the whole number of credits it returns
 * (0..maxCredits) and returns the settled hold. If the work throws, the hold is released and
 * the error rethrown; if the process dies, the hold expires (`options.expiresAt`, default 15
 * minutes: choose it longer than the work can take) and the sweeper releases it. A work that
 * returns something else than 0..maxCredits is a bug: the hold is released and an Error
 * thrown. With `options.key`, a key already used throws HoldKeyReusedError (409) and the work
 * does not run again.
 */
export async function withCreditHold(
  userUuid: string,
  maxCredits: number,
  work: (hold: CreditHold) => Promise<number>,
  options: HoldOptions = {},
  db: Executor = getDb(),
): Promise<CreditHold> {
  const { hold, created } = await holdCredits(userUuid, maxCredits, options, db);
  if (!created) {
    throw new HoldKeyReusedError("key: already used for a hold", { credits: hold.credits, holdId: hold.id, status: hold.status });
  }
  let actual: number;
  try {
    actual = await work(hold);
  } catch (error) {
    await releaseHold(hold, db).catch((e) => logger.error({ hold: hold.id, error: (e as Error).message }, "[credits] releasing a hold failed"));
    throw error;
  }
  if (!Number.isInteger(actual) || actual < 0 || actual > hold.credits) {
    await releaseHold(hold, db);
    throw new Error(`withCreditHold: the work must return a whole number of credits from 0 to ${hold.credits}, got ${String(actual)}`);
  }
  return (await settleHold(hold, actual, db)).hold;
}
