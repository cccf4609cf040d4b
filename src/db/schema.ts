import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  doublePrecision,
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
  // with, and src/services/accounts/sessions.ts refuses older ones.
  sessionVersion: integer("session_version").notNull().default(0),
  // A disabled account cannot sign in and its sessions end (disableUser()).
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// The addresses that received the welcome credits, one row each, kept across account
// deletion so a deleted-and-recreated account (or another plus-tag of one mailbox) gets
// none: the SHA-256 of the address's welcome form (welcomeAddress in
// src/services/accounts/welcome.ts), never the address itself. No foreign key: the row
// outlives the account.
export const welcomeGrants = pgTable("welcome_grants", {
  addressHash: text("address_hash").primaryKey(),
  userUuid: text("user_uuid").notNull(),
  createdAt: createdAt(),
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
    /**
     * Set on a second subscription whose invoice was paid while the user already had a
     * live one (two checkouts paid at once): the live one's id. It never grants; the app
     * cancels it at Stripe and refunds its invoice (docs/payments.md).
     */
    duplicateOf: text("duplicate_of"),
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
// The credit ledger. Only src/services/credits/ (ledger.ts, holds.ts and the SQL
// functions they name) writes these four tables.
//
// credits            append-only: one row per movement, signed. Never updated.
// credit_grants      one row per grant: how much of it is left. This is what makes
//                    a balance read O(active grants): fully used or expired grants
//                    drop out of the partial index.
// credit_allocations append-only: which grants each debit took from (positive) and
//                    which each refund gave back to (negative), so a refund
//                    restores exactly what was taken.
// credit_holds       one row per hold (a reservation, settled or released once): what
//                    it keeps out of which grants while it is open. Per user,
//                    granted = spent + expired + held + remaining.
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

/**
 * A hold's life: `held` (its credits are out of its grants' `remaining`, not spendable, not
 * spent), then exactly one of `settled` (a spend of `settled_credits` <= `credits` written to
 * the ledger, the rest back in the grants), `released` or `expired` (all back; nothing in
 * the ledger). docs/architecture.md, ledger invariant 7.
 */
export const HOLD_STATUSES = ["held", "settled", "released", "expired"] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export const creditHolds = pgTable(
  "credit_holds",
  {
    /** Also the trans_no of its settlement's spend (when it spends anything). */
    id: text("id").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    /** Reserved. */
    credits: integer("credits").notNull(),
    status: text("status").$type<HoldStatus>().notNull().default("held"),
    /** What the settlement spent (0..credits); null unless settled. */
    settledCredits: integer("settled_credits"),
    /** The trans_type of the settlement's spend (e.g. a metered task type's). */
    transType: text("trans_type").notNull(),
    taskUuid: text("task_uuid"),
    /** The API key that made a hold outside a task (a chat reply): it counts against the key's monthly cap. */
    apiKeyId: text("api_key_id"),
    reason: text("reason"),
    /** Idempotency key, per user: the same key is the same hold. */
    key: text("key"),
    /** Copied to the settlement's spend (with `hold` and `reserved`). */
    metadata: jsonb("metadata").$type<Record<string, string>>(),
    /** The grants the reservation took from, in burn-down order, and how much of each. */
    grantTransNos: text("grant_trans_nos").array().notNull(),
    grantCredits: integer("grant_credits").array().notNull(),
    /** After this the sweeper releases it (status `expired`). */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("credit_holds_user_key_idx").on(t.userUuid, t.key).where(sql`${t.key} IS NOT NULL`),
    // What a user has held (getUserCredits) and what the sweeper releases: open holds only.
    index("credit_holds_open_user_idx").on(t.userUuid).where(sql`${t.status} = 'held'`),
    index("credit_holds_open_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'held'`),
    check("credit_holds_credits_positive", sql`${t.credits} > 0`),
    check("credit_holds_status", sql`${t.status} IN ('held', 'settled', 'released', 'expired')`),
    check(
      "credit_holds_settled_range",
      sql`(${t.status} = 'settled') = (${t.settledCredits} IS NOT NULL) AND coalesce(${t.settledCredits} BETWEEN 0 AND ${t.credits}, true)`,
    ),
    check("credit_holds_resolved_at", sql`(${t.status} = 'held') = (${t.resolvedAt} IS NULL)`),
    check("credit_holds_grants_shape", sql`cardinality(${t.grantTransNos}) = cardinality(${t.grantCredits})`),
  ],
);

// ---------------------------------------------------------------------------
// Tasks: one generic table for every paid AI job; each type is declared in src/tasks/.
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
    /** What the task cost: its debit, or for a metered type what its hold settled (0 until then). */
    creditsUsed: integer("credits_used").notNull(),
    creditsTransNo: text("credits_trans_no"),
    refundTransNo: text("refund_trans_no"),
    /** Metered types only: the most the task can cost, held at creation (credit_holds.id below). */
    creditsReserved: integer("credits_reserved"),
    creditsHoldId: text("credits_hold_id"),
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
    /** The API key that created the task (null: the browser session); its monthly cap counts the task. */
    apiKeyId: text("api_key_id"),
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
    // A key's spend this month (api_key_charge, src/services/api-keys): its tasks, newest first.
    index("tasks_api_key_created_idx")
      .on(t.apiKeyId, t.createdAt.desc())
      .where(sql`${t.apiKeyId} IS NOT NULL`),
  ],
);

// ---------------------------------------------------------------------------
// Chat (src/services/chat): a user's conversations and their messages. An assistant
// message is written when its reply starts (`streaming`) and completed when the stream
// ends (`done`), is stopped (`stopped`: the part produced) or fails (`failed`, with the
// error's code); its credits are what its hold settled (credit_holds.id = hold_id).
// ---------------------------------------------------------------------------
export const CHAT_MESSAGE_STATUSES = ["streaming", "done", "stopped", "failed"] as const;
export type ChatMessageStatus = (typeof CHAT_MESSAGE_STATUSES)[number];

export const chatConversations = pgTable(
  "chat_conversations",
  {
    /** Chosen by the client that starts it (useChat's chat id), a UUID. */
    id: text("id").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    createdAt: createdAt(),
    /** The last message's time: the list is newest first. */
    updatedAt: updatedAt(),
  },
  (t) => [index("chat_conversations_user_updated_idx").on(t.userUuid, t.updatedAt.desc())],
);

export const chatMessages = pgTable(
  "chat_messages",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => chatConversations.id, { onDelete: "cascade" }),
    role: text("role").$type<"user" | "assistant">().notNull(),
    text: text("text").notNull(),
    status: text("status").$type<ChatMessageStatus>().notNull().default("done"),
    /** A failed reply's stable code (provider_unavailable, internal, ...), shown localized. */
    errorCode: text("error_code"),
    /** Assistant replies: what the reply cost and the tokens it was billed for (null while streaming). */
    creditsUsed: integer("credits_used"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    holdId: text("hold_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("chat_messages_conversation_idx").on(t.conversationId, t.createdAt),
    check("chat_messages_role", sql`${t.role} IN ('user', 'assistant')`),
    check("chat_messages_status", sql`${t.status} IN ('streaming', 'done', 'stopped', 'failed')`),
  ],
);

// ---------------------------------------------------------------------------
// Uploads: files users send as task inputs (src/services/uploads). The bytes are in
// private storage under `storage_key` (uploads/<id>, never the file's name); the row
// holds what the server measured. `receiving` while the bytes arrive (a row left so by
// a crash is swept with its object); `ready` once stored and checked. An upload no task
// used is deleted at `expires_at`; `task_uuid` is the first task that used it, and such
// an upload is kept as long as the task (account deletion removes every upload).
// ---------------------------------------------------------------------------
export type UploadStatus = "receiving" | "ready";

export const uploads = pgTable(
  "uploads",
  {
    id: text("id").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    status: text("status").$type<UploadStatus>().notNull().default("receiving"),
    /** image | audio | video, from the bytes. */
    kind: text("kind"),
    contentType: text("content_type"),
    bytes: bigint("bytes", { mode: "number" }),
    storageKey: text("storage_key").notNull(),
    /** The file's name as the browser sent it, cleaned, for display only. */
    name: text("name"),
    width: integer("width"),
    height: integer("height"),
    durationSeconds: doublePrecision("duration_seconds"),
    taskUuid: text("task_uuid"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("uploads_user_created_idx").on(t.userUuid, t.createdAt.desc()),
    // The sweeper's scan: unused uploads, by expiry.
    index("uploads_unused_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.taskUuid} IS NULL`),
  ],
);

export type Upload = typeof uploads.$inferSelect;

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
// Outgoing webhooks (src/services/webhooks): endpoints users register, and a durable
// outbox. An event row is written in the transaction of what it reports (a task's move
// to succeeded/failed, the low-balance crossing), with one delivery row per subscribed
// endpoint; the sweeper delivers due rows (FOR UPDATE SKIP LOCKED) and retries them with
// exponential backoff for 24 hours. The event id is the `webhook-id` of every attempt.
// ---------------------------------------------------------------------------
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    url: text("url").notNull(),
    /** The event types it receives (task.succeeded, task.failed, credits.low). */
    events: text("events").array().notNull(),
    /** The whsec_ signing secret, AES-256-GCM encrypted with a key derived from AUTH_SECRET. */
    secretEncrypted: text("secret_encrypted").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_endpoints_user_idx").on(t.userUuid)],
);

export const webhookEvents = pgTable(
  "webhook_events",
  {
    /** msg_...: the `webhook-id` header of every delivery attempt of this event. */
    id: text("id").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    type: text("type").notNull(),
    /** Task events: the task, serialized at delivery as GET /api/tasks/{uuid} answers it. */
    taskUuid: text("task_uuid"),
    /** Other events' data (credits.low: balance and threshold). */
    data: jsonb("data"),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_events_user_idx").on(t.userUuid)],
);

export type WebhookDeliveryStatus = "pending" | "succeeded" | "failed";

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    status: text("status").$type<WebhookDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt is due (also the claim's lease while one is in flight). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_idx").on(t.eventId, t.endpointId),
    // The delivery worker's scan: pending rows by due time.
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    // The delivery log, per endpoint, newest first.
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id.desc()),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

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
export type CreditHoldRow = typeof creditHolds.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type ChatConversation = typeof chatConversations.$inferSelect;
export type ChatMessage = typeof chatMessages.$inferSelect;
export type AdminAuditRow = typeof adminAuditLog.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;

// ---------------------------------------------------------------------------
// API keys (src/services/api-keys): `Authorization: Bearer sk_live_...` on the task,
// upload and credits-read routes. Only the secret's SHA-256 is stored; `prefix` is its
// first characters, shown to tell keys apart. A key is never deleted: revoking sets
// revoked_at, and tasks keep pointing at the key that created them.
// ---------------------------------------------------------------------------
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userUuid: text("user_uuid")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    /** sha256(secret), hex. */
    keyHash: text("key_hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** Most credits the key's tasks may cost per calendar month (UTC); null: no cap. */
    monthlyCreditCap: integer("monthly_credit_cap"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_user_created_idx").on(t.userUuid, t.createdAt.desc()), check("api_keys_cap_positive", sql`${t.monthlyCreditCap} > 0`)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
