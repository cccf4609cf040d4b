/**
 * Creating a task of any registered type: validate, price, rate-limit, debit and
 * insert in one statement, then hand the job to the type's provider in the background.
 */
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { tasks, type Task } from "@/db/schema";
import { parseInput } from "@/lib/api";
import { env } from "@/lib/env";
import { AppError, BadRequestError, isUniqueViolation } from "@/lib/errors";
import { debitArguments, debitCall, ledgerError } from "@/services/credits";
import { rateLimitError, rateLimitSql } from "@/services/rate-limit";
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
}

/** 422: an Idempotency-Key reused with a different request (another body or another type). */
export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(422, "Idempotency-Key was already used with a different request", { field: "Idempotency-Key" });
  }
}

const idempotencyKeySchema = z
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
 * The creation INSERT, in one statement, so one round trip and one commit. Computing
 * the row counts the rate-limit hit first, then runs the debit (lock, balance check,
 * burn-down), whose trans_no becomes the task's credits_trans_no. If either refuses,
 * or a concurrent request with the same Idempotency-Key has inserted its task (unique
 * index), the statement fails and nothing is written, charged or counted.
 * Prepared once per database handle (and shared by every type): the hot path skips
 * building the SQL.
 */
function prepareInsertTask(db: Executor) {
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
    .values({
      uuid: p("taskUuid"),
      userUuid: p("userUuid"),
      type: p("type"),
      status: "queued",
      creditsUsed: p("credits"),
      creditsTransNo: sql<string>`(SELECT ${debit} WHERE ${rateLimitSql(p("rateKey"), p("rateLimit"), 60)})`,
      userInput: p("userInput"),
      provider: p("provider"),
      idempotencyKey: p("idempotencyKey"),
    })
    .returning()
    .prepare("insert_task");
}

const insertTaskStatements = new WeakMap<Executor, ReturnType<typeof prepareInsertTask>>();

function insertTaskStatement(db: Executor) {
  let statement = insertTaskStatements.get(db);
  if (!statement) insertTaskStatements.set(db, (statement = prepareInsertTask(db)));
  return statement;
}

/**
 * Creates a task of `definition`'s type: debits its cost and inserts a queued task in
 * one statement, then submits it to the type's provider in the background. `created`
 * is false when an idempotency key matched an earlier identical request (returned as
 * is, nothing charged). Throws BadRequestError (400), InsufficientCreditsError (402),
 * IdempotencyKeyReusedError (422), TooManyRequestsError (429).
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
  const cost = definition.cost(params);
  if (!Number.isInteger(cost) || cost <= 0) throw new Error(`task type ${definition.type}: cost must be a whole number > 0, got ${cost}`);
  const uuid = crypto.randomUUID();
  const debit = debitArguments({
    userUuid: request.userUuid,
    credits: cost,
    transType: definition.transType,
    taskUuid: uuid,
    reason: `${definition.slug} task`,
  });
  let task: Task;
  try {
    [task] = await insertTaskStatement(db).execute({
      ...debit,
      type: definition.type,
      userInput,
      provider: definition.providers.get(options.provider).name,
      idempotencyKey: key,
      rateKey: `tasks:create:${request.userUuid}`,
      rateLimit: env().TASK_RATE_LIMIT_PER_MINUTE,
    });
  } catch (error) {
    const refusal = rateLimitError(ledgerError(error, { userUuid: request.userUuid, credits: cost }));
    // A repeat of a key that raced the first request, and lost on the unique index or
    // found the credits or the rate limit used up by it, answers with that first task.
    if (key && (isUniqueViolation(error) || refusal instanceof AppError)) {
      const winner = await findByIdempotencyKey(db, request.userUuid, key);
      if (winner) return replay(winner, definition.type, userInput);
    }
    throw refusal;
  }
  (options.background ?? fireAndForget)(() => submitTask(task, definition, params, db));
  return { task, created: true };
}
