/**
 * Creating a task of any registered type: validate, price, rate-limit, debit (or, for a
 * metered type, hold its most) and insert in one statement, then hand the job to the
 * type's provider in the background.
 */
import crypto from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { tasks, type Task } from "@/db/schema";
import { parseInput } from "@/lib/http/api";
import { env } from "@/lib/env";
import { AppError, BadRequestError, isUniqueViolation } from "@/lib/http/errors";
import { HOLD_MAX_TTL_MS } from "@/data/credits";
import { holdArguments, holdCall, holdError } from "@/services/credits/holds";
import { debitArguments, debitCall } from "@/services/credits/ledger";
import { rateLimitError, rateLimitSql } from "@/services/rate-limit";
import { apiKeyChargeSql, apiKeyError } from "@/services/api-keys";
import { linkUploads, resolveTaskFiles } from "@/services/uploads";
import type { AnyTaskType } from "./define";
import { submitTask } from "./lifecycle";
import { logger } from "@/lib/logger";

/** Runs work after the response; route handlers pass Next's `after`, the default is fire-and-forget. */
export type Background = (job: () => Promise<unknown>) => void;

const fireAndForget: Background = (job) => {
  void job().catch((error) => logger.error({ error: (error as Error).message }, "[tasks] background job failed"));
};

export interface CreateTaskOptions {
  db?: Executor;
  /** Provider name; default the type's selected provider (its env variable). */
  provider?: string;
  background?: Background;
}

export interface CreateTaskRequest {
  userUuid: string;
  /** The body as received; validated against the type's input schema (400 naming the field). */
  input: unknown;
  idempotencyKey?: string | null;
  /** The API key the request came with (null: a browser session): its monthly cap is checked in the creation statement. */
  apiKeyId?: string | null;
}

/** 422: an Idempotency-Key reused with a different request (another body or another type). */
export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(422, "Idempotency-Key was already used with a different request", { field: "Idempotency-Key" });
  }
}

/** The Idempotency-Key header of a task creation (documented in the API reference from this schema). */
export const idempotencyKeySchema = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

export function parseIdempotencyKey(value: string): string {
  const result = idempotencyKeySchema.safeParse(value);
  if (!result.success) throw new BadRequestError(`Idempotency-Key: ${result.error.issues[0].message}`, "Idempotency-Key");
  return result.data;
}

async function findByIdempotencyKey(db: Executor, userUuid: string, key: string): Promise<Task | undefined> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.userUuid, userUuid), eq(tasks.idempotencyKey, key)));
  return row;
}

/**
 * A repeat of a key answers with the first task only when it asks for the same thing:
 * the same type and the same validated input (user_input holds it canonically, as the
 * schema's output serialized in the schema's field order). Otherwise 422, like Stripe.
 */
function replay(existing: Task, type: string, userInput: string): { task: Task; created: false } {
  if (existing.type !== type || existing.userInput !== userInput) throw new IdempotencyKeyReusedError();
  return { task: existing, created: false };
}

/** A named parameter of a prepared statement, filled in by `execute({ name: value })`. */
const p = sql.placeholder;

/**
 * The columns both creation INSERTs write, and the guard on their charge: computing the row
 * counts the rate-limit hit first, checks the API key's monthly cap under the key's row lock
 * (api_key_charge; a no-op for a browser session), then runs the charge (lock, balance check,
 * burn-down). If any refuses, or a concurrent request with the same Idempotency-Key has
 * inserted its task (unique index), the statement fails and nothing is written, charged or
 * counted.
 */
const taskRow = () => ({
  uuid: p("taskUuid"),
  userUuid: p("userUuid"),
  type: p("type"),
  status: "queued" as const,
  userInput: p("userInput"),
  provider: p("provider"),
  idempotencyKey: p("idempotencyKey"),
  apiKeyId: p("apiKeyId"),
});
const guarded = (charge: SQL) =>
  sql<string>`(SELECT ${charge} WHERE ${rateLimitSql(p("rateKey"), p("rateLimit"), 60)} AND ${apiKeyChargeSql(p("apiKeyId"), p("credits"))})`;

/** A statement prepared once per database handle (and shared by every type): the hot path skips building the SQL. */
function preparedPerHandle<T>(prepare: (db: Executor) => T): (db: Executor) => T {
  const statements = new WeakMap<Executor, T>();
  return (db) => {
    let statement = statements.get(db);
    if (!statement) statements.set(db, (statement = prepare(db)));
    return statement;
  };
}

/**
 * A fixed-price type's creation INSERT, in one statement, so one round trip and one commit:
 * the guarded debit's trans_no becomes the task's credits_trans_no.
 */
const insertTaskStatement = preparedPerHandle((db) => {
  const debit = debitCall({
    transNo: p("transNo"),
    userUuid: p("userUuid"),
    transType: p("transType"),
    credits: p("credits"),
    taskUuid: p("taskUuid"),
    orderNo: p("orderNo"),
    reason: p("reason"),
  });
  return db
    .insert(tasks)
    .values({ ...taskRow(), creditsUsed: p("credits"), creditsTransNo: guarded(debit) })
    .returning()
    .prepare("insert_task");
});

/**
 * A metered type's creation INSERT: the same single statement, holding the most the task can
 * cost (credits_hold, src/services/credits/holds.ts) where a fixed-price type debits.
 * credits_used stays 0 until the success settles the hold (./lifecycle.ts).
 */
const insertMeteredTaskStatement = preparedPerHandle((db) => {
  const hold = holdCall({
    id: p("holdId"),
    userUuid: p("userUuid"),
    credits: p("credits"),
    transType: p("transType"),
    taskUuid: p("taskUuid"),
    reason: p("reason"),
    key: p("holdKey"),
    expiresAt: p("holdExpiresAt"),
    metadata: p("holdMetadata"),
  });
  return db
    .insert(tasks)
    .values({ ...taskRow(), creditsUsed: 0, creditsReserved: p("credits"), creditsHoldId: guarded(sql`(${hold}).id`) })
    .returning()
    .prepare("insert_metered_task");
});

/** How long a metered task's hold lasts past the task's own timeout (which releases it first). */
const METERED_HOLD_GRACE_MS = 10 * 60 * 1000;

/** The hold parameters of a metered task's creation: the most it can cost, for as long as the task may run. */
function meteredHold(definition: AnyTaskType, userUuid: string, taskUuid: string, credits: number) {
  const a = holdArguments(userUuid, credits, {
    transType: definition.transType,
    taskUuid,
    reason: `${definition.slug} task`,
    expiresAt: new Date(Date.now() + Math.min(env().TASK_TIMEOUT_MS + METERED_HOLD_GRACE_MS, HOLD_MAX_TTL_MS)),
  });
  return { holdId: a.id, credits: a.credits, transType: a.transType, reason: a.reason, holdKey: a.key, holdExpiresAt: a.expiresAt, holdMetadata: a.metadata };
}

/**
 * Creates a task of `definition`'s type: debits its cost (a metered type: holds its most)
 * and inserts a queued task in one statement, then submits it to the type's provider in the
 * background. `created` is false when an idempotency key matched an earlier identical
 * request (returned as is, nothing charged). A type's file fields are resolved first
 * (./define.ts `files`): an unknown, another user's, expired, wrong-kind or too-large upload
 * is a 400 naming the field, before the charge. Throws BadRequestError (400),
 * InsufficientCreditsError (402), IdempotencyKeyReusedError (422), TooManyRequestsError (429).
 */
export async function createTask(
  definition: AnyTaskType,
  request: CreateTaskRequest,
  options: CreateTaskOptions = {},
): Promise<{ task: Task; created: boolean }> {
  const db = options.db ?? getDb();
  const params = parseInput(definition.input, request.input);
  const key = request.idempotencyKey == null ? null : parseIdempotencyKey(request.idempotencyKey);
  const userInput = JSON.stringify(params);

  if (key) {
    const existing = await findByIdempotencyKey(db, request.userUuid, key);
    if (existing) return replay(existing, definition.type, userInput);
  }
  // File fields: each upload is the caller's, unexpired, of an accepted kind and size
  // (400 naming the field), before anything is charged. Their facts price the task.
  const files = await resolveTaskFiles(definition.files, params as Record<string, unknown>, request.userUuid, db);
  const cost = definition.cost(params, files);
  if (!Number.isInteger(cost) || cost <= 0) throw new Error(`task type ${definition.type}: cost must be a whole number > 0, got ${cost}`);
  const uuid = crypto.randomUUID();
  const debit = debitArguments({
    userUuid: request.userUuid,
    credits: cost,
    transType: definition.transType,
    taskUuid: uuid,
    reason: `${definition.slug} task`,
  });
  const values = {
    ...debit,
    type: definition.type,
    userInput,
    provider: definition.providers.get(options.provider).name,
    idempotencyKey: key,
    apiKeyId: request.apiKeyId ?? null,
    rateKey: `tasks:create:${request.userUuid}`,
    rateLimit: env().TASK_RATE_LIMIT_PER_MINUTE,
  };
  let task: Task;
  try {
    const insert = (executor: Executor) =>
      definition.metered
        ? insertMeteredTaskStatement(executor).execute({ ...values, ...meteredHold(definition, request.userUuid, uuid, cost) })
        : insertTaskStatement(executor).execute(values);
    if (Object.keys(files).length === 0) {
      [task] = await insert(db);
    } else {
      // The task, its charge and the link of its uploads commit together: an upload the
      // sweeper deleted meanwhile rolls the task back (400 naming the field).
      task = await db.transaction(async (tx) => {
        const [row] = await insert(tx);
        await linkUploads(tx, row.uuid, request.userUuid, files);
        return row;
      });
    }
  } catch (error) {
    if (error instanceof BadRequestError) throw error;
    const refusal = apiKeyError(rateLimitError(holdError(error, { userUuid: request.userUuid, credits: cost })));
    // A repeat of a key that raced the first request, and lost on the unique index or
    // found the credits or the rate limit used up by it, answers with that first task.
    if (key && (isUniqueViolation(error) || refusal instanceof AppError)) {
      const winner = await findByIdempotencyKey(db, request.userUuid, key);
      if (winner) return replay(winner, definition.type, userInput);
    }
    throw refusal;
  }
  (options.background ?? fireAndForget)(() => submitTask(task, definition, params, db, files));
  return { task, created: true };
}
