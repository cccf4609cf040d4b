import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  jsonb,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

// ---------------------------------------------------------------------------
// Accounts. The TypeScript property `id` is what the Auth.js Drizzle adapter
// expects; the column is `uuid`, the name every other table links to.
// ---------------------------------------------------------------------------
export const users = pgTable("users", {
  id: text("uuid").primaryKey().$defaultFn(() => crypto.randomUUID()),
  // Always stored normalized (NFKC, trimmed, lower-case): see normalizeEmail().
  email: text("email").notNull().unique(),
  name: text("name"),
  image: text("image"),
  emailVerified: timestamp("email_verified", { withTimezone: true, mode: "date" }),
  passwordHash: text("password_hash"),
  locale: text("locale"),
  // Bumped to end every session of the user at once (sign out everywhere, password
  // change or reset, disable, delete): session JWTs carry the version they were issued
  // with, and src/services/sessions.ts refuses older ones.
  sessionVersion: integer("session_version").notNull().default(0),
  // A disabled account cannot sign in and its sessions end (disableUser()).
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// Single sessions ended before their expiry (sign-out): the session id (`sid` claim of the
// session JWT) until the token would have expired anyway. No foreign key: a deleted
// user's revocations stay valid.
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sid: text("sid").primaryKey(),
    userUuid: text("user_uuid").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("revoked_sessions_expires_idx").on(t.expiresAt)],
);

export const accounts = pgTable(
  "accounts",
  {
    userId: text("user_uuid")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_idx").on(t.userId)],
);

export const sessions = pgTable("sessions", {
  sessionToken: text("session_token").primaryKey(),
  userId: text("user_uuid")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

// One-time tokens mailed to users (password reset; later email verification and change):
// only a SHA-256 hash is stored, each is single-use (used_at) and expires.
export const ACCOUNT_TOKEN_KINDS = ["password_reset", "verify_email", "change_email"] as const;
export type AccountTokenKind = (typeof ACCOUNT_TOKEN_KINDS)[number];

export const accountTokens = pgTable(
  "account_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    kind: text("kind").$type<AccountTokenKind>().notNull(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("account_tokens_user_idx").on(t.userUuid, t.kind)],
);

// ---------------------------------------------------------------------------
// Orders: one row per Stripe Checkout attempt for a credit bundle.
// status: created -> paid -> refunded, or created -> failed | expired;
// paid -> disputed (-> paid when the dispute is won); a paid session that does not
// match its order -> needs_review (an operator decides, `npm run orders:review`).
// ---------------------------------------------------------------------------
export const ORDER_STATUSES = ["created", "paid", "failed", "expired", "refunded", "disputed", "needs_review"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orders = pgTable(
  "orders",
  {
    orderNo: text("order_no").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    credits: integer("credits").notNull(),
    amount: integer("amount").notNull(), // smallest currency unit (cents)
    currency: text("currency").notNull(),
    bundle: text("bundle"),
    status: text("status").$type<OrderStatus>().notNull().default("created"),
    stripeSessionId: text("stripe_session_id").unique(),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    creditsTransNo: text("credits_trans_no"),
    /** Cumulative amount Stripe refunded (charge.amount_refunded), smallest currency unit. */
    amountRefunded: integer("amount_refunded").notNull().default(0),
    /** Why the order needs an operator (needs_review), e.g. "amount 500 != 1000". */
    reviewReason: text("review_reason"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("orders_user_created_idx").on(t.userUuid, t.createdAt.desc()),
    index("orders_payment_intent_idx").on(t.stripePaymentIntentId),
    index("orders_needs_review_idx").on(t.createdAt).where(sql`${t.status} = 'needs_review'`),
    check("orders_credits_positive", sql`${t.credits} > 0`),
    check("orders_amount_nonnegative", sql`${t.amount} >= 0`),
  ],
);

// ---------------------------------------------------------------------------
// Stripe billing: one Stripe customer per user (reused by every checkout and the
// billing portal), and the user's subscriptions as Stripe last reported them.
// ---------------------------------------------------------------------------
export const stripeCustomers = pgTable("stripe_customers", {
  userUuid: text("user_uuid")
    .primaryKey()
    .references(() => users.id),
  customerId: text("customer_id").notNull().unique(),
  createdAt: createdAt(),
});

/** Subscription statuses that count as "has a subscription" (no second one may be started). */
export const LIVE_SUBSCRIPTION_STATUSES = ["active", "trialing", "past_due", "unpaid", "incomplete", "paused"] as const;

/**
 * Disputes whose closure the webhook applied (charge.dispute.closed). Stripe does not order
 * its deliveries: an opening delivered after the closure (a retried charge.dispute.created)
 * finds the dispute here, and takes nothing when it ended in the merchant's favour.
 */
export const closedDisputes = pgTable("closed_disputes", {
  disputeId: text("dispute_id").primaryKey(),
  status: text("status").notNull(),
  closedAt: timestamp("closed_at", { withTimezone: true }).notNull().defaultNow(),
});

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: text("stripe_subscription_id").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    customerId: text("customer_id").notNull(),
    plan: text("plan").notNull(),
    interval: text("interval").$type<"month" | "year">().notNull(),
    status: text("status").notNull(),
    currentPeriodStart: timestamp("current_period_start", { withTimezone: true }),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    canceledAt: timestamp("canceled_at", { withTimezone: true }),
    /** The last paid invoice: its period's monthly grants are keyed by it. */
    latestInvoiceId: text("latest_invoice_id"),
    latestInvoicePeriodStart: timestamp("latest_invoice_period_start", { withTimezone: true }),
    latestInvoicePeriodEnd: timestamp("latest_invoice_period_end", { withTimezone: true }),
    /** Monthly grants made for the latest invoice (yearly plans: 1..12). */
    monthsGranted: integer("months_granted").notNull().default(0),
    /**
     * Refunds and disputes of the latest invoice (docs/payments.md "Subscription invoices
     * refunded or disputed"): what its charge was and what is refunded of it so far, and
     * the open dispute's id. Months a yearly plan has not granted yet are granted reduced in
     * proportion, and not at all while a dispute is open.
     */
    latestInvoiceAmountCharged: integer("latest_invoice_amount_charged"),
    latestInvoiceAmountRefunded: integer("latest_invoice_amount_refunded").notNull().default(0),
    latestInvoiceDisputeId: text("latest_invoice_dispute_id"),
    /**
     * When Stripe created the subscription event the row was last synced from: an older
     * event delivered late (Stripe does not order deliveries) does not overwrite it.
     */
    stripeEventAt: timestamp("stripe_event_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("subscriptions_user_idx").on(t.userUuid),
    // The sweeper's scan: yearly subscriptions that still have monthly grants to make.
    index("subscriptions_monthly_due_idx")
      .on(t.latestInvoicePeriodStart)
      .where(sql`${t.interval} = 'year' AND ${t.monthsGranted} < 12`),
  ],
);

// ---------------------------------------------------------------------------
// The credit ledger. Only src/services/credits.ts writes these three tables.
//
// credits            append-only: one row per movement, signed. Never updated.
// credit_grants      one row per grant: how much of it is left. This is what makes
//                    a balance read O(active grants): fully used or expired grants
//                    drop out of the partial index.
// credit_allocations append-only: which grants each debit took from (positive) and
//                    which each refund gave back to (negative), so a refund
//                    restores exactly what was taken.
// ---------------------------------------------------------------------------
export const credits = pgTable(
  "credits",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    transNo: text("trans_no").notNull().unique(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    transType: text("trans_type").notNull(),
    credits: integer("credits").notNull(),
    orderNo: text("order_no"),
    taskUuid: text("task_uuid"),
    refTransNo: text("ref_trans_no"),
    reason: text("reason"),
    /** Audit details, e.g. the Stripe object ids behind a refund or dispute. */
    metadata: jsonb("metadata").$type<Record<string, string>>(),
    expiredAt: timestamp("expired_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("credits_user_history_idx").on(t.userUuid, t.id.desc()),
    index("credits_order_idx").on(t.orderNo),
    index("credits_task_idx").on(t.taskUuid),
    index("credits_ref_idx").on(t.refTransNo),
    check("credits_nonzero", sql`${t.credits} <> 0`),
  ],
);

export const creditGrants = pgTable(
  "credit_grants",
  {
    transNo: text("trans_no")
      .primaryKey()
      .references(() => credits.transNo),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    credits: integer("credits").notNull(),
    remaining: integer("remaining").notNull(),
    expiredAt: timestamp("expired_at", { withTimezone: true }),
    /**
     * How many of the grant's credits refunds and disputes of its payment should have taken
     * back in all (net of won disputes), and to which of them (`revoke_type`) credits go that
     * come back to the grant while less has been taken (they had been spent): a task refunded
     * after its bundle was refunded does not bring them back (docs/architecture.md).
     */
    revokeTarget: integer("revoke_target").notNull().default(0),
    revokeType: text("revoke_type"),
    createdAt: createdAt(),
  },
  (t) => [
    // Burn-down order and balance reads only ever look at grants with credits left.
    index("credit_grants_active_idx")
      .on(t.userUuid, t.expiredAt, t.createdAt)
      .where(sql`${t.remaining} > 0`),
    // expireCredits(): lapsed grants with credits left, across all users.
    index("credit_grants_expiring_idx")
      .on(t.expiredAt)
      .where(sql`${t.remaining} > 0 AND ${t.expiredAt} IS NOT NULL`),
    check("credit_grants_remaining_range", sql`${t.remaining} >= 0 AND ${t.remaining} <= ${t.credits}`),
    check("credit_grants_revoke_target_range", sql`${t.revokeTarget} >= 0 AND ${t.revokeTarget} <= ${t.credits}`),
  ],
);

export const creditAllocations = pgTable(
  "credit_allocations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    transNo: text("trans_no")
      .notNull()
      .references(() => credits.transNo),
    grantTransNo: text("grant_trans_no")
      .notNull()
      .references(() => creditGrants.transNo),
    credits: integer("credits").notNull(),
  },
  (t) => [index("credit_allocations_trans_idx").on(t.transNo), index("credit_allocations_grant_idx").on(t.grantTransNo)],
);

// ---------------------------------------------------------------------------
// Tasks: one generic table for every paid AI job; each type is declared in src/services/tasks/types/.
// ---------------------------------------------------------------------------
export const TASK_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const tasks = pgTable(
  "tasks",
  {
    uuid: text("uuid").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    type: text("type").notNull(),
    status: text("status").$type<TaskStatus>().notNull().default("queued"),
    creditsUsed: integer("credits_used").notNull(),
    creditsTransNo: text("credits_trans_no"),
    refundTransNo: text("refund_trans_no"),
    userInput: text("user_input").notNull(), // JSON string
    /** Legacy: the provider's URL of tasks finished before outputs were copied to storage. */
    outputUrl: text("output_url"),
    /** The output's storage key (src/services/storage); read through a short-lived signed URL, owner only. */
    outputKey: text("output_key"),
    /** Operators only: the provider's raw answer (and its output URL). */
    outputJson: text("output_json"),
    /** Operators only: why the task failed, raw (never shown to users; they see error_code's message). */
    errorMessage: text("error_message"),
    /** A failed task's stable code (src/lib/provider-errors.ts): provider_unavailable, content_rejected, timed_out, invalid_output, internal. */
    errorCode: text("error_code"),
    provider: text("provider").notNull(),
    providerJobId: text("provider_job_id"),
    progress: integer("progress").notNull().default(0),
    idempotencyKey: text("idempotency_key"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("tasks_user_created_idx").on(t.userUuid, t.createdAt.desc()),
    uniqueIndex("tasks_user_idempotency_idx")
      .on(t.userUuid, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
    uniqueIndex("tasks_provider_job_idx")
      .on(t.provider, t.providerJobId)
      .where(sql`${t.providerJobId} IS NOT NULL`),
    // The sweeper's scan: unfinished tasks, oldest first.
    index("tasks_unfinished_idx")
      .on(t.updatedAt)
      .where(sql`${t.status} IN ('queued', 'running')`),
    // Provider failure spikes (src/services/notify/provider-failures.ts): tasks finished recently.
    index("tasks_completed_idx")
      .on(t.completedAt)
      .where(sql`${t.completedAt} IS NOT NULL`),
    check("tasks_progress_range", sql`${t.progress} BETWEEN 0 AND 100`),
  ],
);

// ---------------------------------------------------------------------------
// Fixed-window rate-limit counters, shared by every app instance.
// ---------------------------------------------------------------------------
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
});

// ---------------------------------------------------------------------------
// Notices already sent and not yet re-armed: one row per (user, kind), e.g. the
// low-balance notice (deleted when the balance is back above the threshold).
// ---------------------------------------------------------------------------
export const userNotices = pgTable(
  "user_notices",
  {
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    kind: text("kind").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userUuid, t.kind] })],
);

// ---------------------------------------------------------------------------
// Operator console: one row per admin action (src/services/admin/audit.ts), written in
// the same transaction as the action. APPEND-ONLY: rows are never updated or deleted
// (no code path does; a trigger in drizzle/ refuses UPDATE and DELETE). No foreign
// keys, so the trail outlives the users it names.
// ---------------------------------------------------------------------------
export const adminAuditLog = pgTable(
  "admin_audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    adminUuid: text("admin_uuid").notNull(),
    adminEmail: text("admin_email").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    before: text("before"), // JSON string
    after: text("after"), // JSON string
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [index("admin_audit_log_target_idx").on(t.targetType, t.targetId)],
);

export type User = typeof users.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type CreditRow = typeof credits.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type AdminAuditRow = typeof adminAuditLog.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
