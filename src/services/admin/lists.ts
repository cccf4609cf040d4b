/**
 * The operator console's order and task lists: small read-only queries against the
 * schema (task code itself is not used here). Filters accept exactly the values the
 * schema declares (ORDER_STATUSES, TASK_STATUSES), so a status added there is
 * filterable here without a change.
 */
import { and, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { ORDER_STATUSES, TASK_STATUSES, orders, tasks, users, type OrderStatus, type TaskStatus } from "@/db/schema";
import { parseInput } from "@/lib/http/api";
import { pageWindow, type Page } from "@/lib/http/pagination";

/** An empty filter (absent or "") means "any". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

const orderStatus = z.enum(ORDER_STATUSES as unknown as [string, ...string[]], {
  error: `must be one of ${ORDER_STATUSES.join(", ")}`,
});
const taskStatus = z.enum(TASK_STATUSES as unknown as [string, ...string[]], {
  error: `must be one of ${TASK_STATUSES.join(", ")}`,
});
const name = z
  .string({ error: "must be a string" })
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z0-9_.-]+$/i, "must be letters, digits, _ . or -");

export const orderFilterSchema = z.object({ status: optional(orderStatus) });
export const taskFilterSchema = z.object({ status: optional(taskStatus), type: optional(name), provider: optional(name) });

type Paging = { page?: number; pageSize?: number };

export interface AdminOrderItem {
  orderNo: string;
  userUuid: string;
  userEmail: string | null;
  status: OrderStatus;
  credits: number;
  amount: number;
  currency: string;
  bundle: string | null;
  creditsTransNo: string | null;
  stripePaymentIntentId: string | null;
  createdAt: string;
  paidAt: string | null;
  refundedAt: string | null;
}

export async function listAllOrders(filter: { status?: unknown } & Paging = {}, db: Executor = getDb()): Promise<Page<AdminOrderItem>> {
  const { status } = parseInput(orderFilterSchema, { status: filter.status });
  const window = pageWindow(filter);
  const rows = await db
    .select({ order: orders, userEmail: users.email })
    .from(orders)
    .leftJoin(users, eq(users.id, orders.userUuid))
    .where(status ? eq(orders.status, status as (typeof ORDER_STATUSES)[number]) : undefined)
    .orderBy(desc(orders.createdAt), desc(orders.orderNo))
    .limit(window.limit)
    .offset(window.offset);
  return window.toPage(
    rows.map(({ order: o, userEmail }) => ({
      orderNo: o.orderNo,
      userUuid: o.userUuid,
      userEmail,
      status: o.status,
      credits: o.credits,
      amount: o.amount,
      currency: o.currency,
      bundle: o.bundle,
      creditsTransNo: o.creditsTransNo,
      stripePaymentIntentId: o.stripePaymentIntentId,
      createdAt: o.createdAt.toISOString(),
      paidAt: o.paidAt?.toISOString() ?? null,
      refundedAt: o.refundedAt?.toISOString() ?? null,
    })),
  );
}

export interface AdminTaskItem {
  uuid: string;
  userUuid: string;
  userEmail: string | null;
  type: string;
  status: TaskStatus;
  provider: string;
  providerJobId: string | null;
  creditsUsed: number;
  creditsTransNo: string | null;
  /** Set when the task failed and its credits were given back (automatic). */
  refundTransNo: string | null;
  errorMessage: string | null;
  /** The provider's raw output, for operators (a JSON string as stored). */
  outputJson: string | null;
  outputUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

export async function listAllTasks(
  filter: { status?: unknown; type?: unknown; provider?: unknown } & Paging = {},
  db: Executor = getDb(),
): Promise<Page<AdminTaskItem>> {
  const f = parseInput(taskFilterSchema, { status: filter.status, type: filter.type, provider: filter.provider });
  const window = pageWindow(filter);
  const where: SQL[] = [];
  if (f.status) where.push(eq(tasks.status, f.status as (typeof TASK_STATUSES)[number]));
  if (f.type) where.push(eq(tasks.type, f.type));
  if (f.provider) where.push(eq(tasks.provider, f.provider));
  const rows = await db
    .select({ task: tasks, userEmail: users.email })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.userUuid))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(tasks.createdAt), desc(tasks.uuid))
    .limit(window.limit)
    .offset(window.offset);
  return window.toPage(
    rows.map(({ task: t, userEmail }) => ({
      uuid: t.uuid,
      userUuid: t.userUuid,
      userEmail,
      type: t.type,
      status: t.status,
      provider: t.provider,
      providerJobId: t.providerJobId,
      creditsUsed: t.creditsUsed,
      creditsTransNo: t.creditsTransNo,
      refundTransNo: t.refundTransNo,
      errorMessage: t.errorMessage,
      outputJson: t.outputJson,
      outputUrl: t.outputUrl,
      createdAt: t.createdAt.toISOString(),
      completedAt: t.completedAt?.toISOString() ?? null,
    })),
  );
}
