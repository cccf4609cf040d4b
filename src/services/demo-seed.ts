import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { orders, tasks } from "@/db/schema";
import { CREDIT_CURRENCY, priceInCents } from "@/data/credits";
import { textToVideo } from "@/tasks/text-to-video";
import { textToVideoCost, type AspectRatio } from "@/tasks/text-to-video/input";
import { demoVideoFor } from "@/tasks/text-to-video/providers";
import { env } from "@/lib/env";
import { TRANS_TYPES, decreaseCredits, getUserCredits, grantCredits, refundCredits } from "@/services/credits/ledger";
import { fulfilOrder } from "@/services/payments";
import { markEmailVerified } from "@/services/accounts/email-verification";
import { createUser, findUserByEmail } from "@/services/accounts/users";

/**
 * `npm run db:seed`: a demo account to click through right after cloning. Every step
 * is keyed (grant key, order number, task idempotency key), so running it again
 * changes nothing. Documented in README.md; never run it against production data.
 */
export const DEMO_USER = { email: "demo@example.com", password: "demo-password", name: "Demo User" } as const;
export const DEMO_EXTRA_CREDITS = 500;
export const DEMO_ORDER_CREDITS = 100;

const DEMO_TASKS: Array<{ key: string; prompt: string; seconds: number; aspectRatio: AspectRatio; status: "succeeded" | "failed" }> = [
  { key: "seed-demo-1", prompt: "A paper boat drifting down a rainy street, cinematic", seconds: 5, aspectRatio: "landscape", status: "succeeded" },
  { key: "seed-demo-2", prompt: "Time-lapse of a city skyline from dusk to night", seconds: 4, aspectRatio: "portrait", status: "succeeded" },
  { key: "seed-demo-3", prompt: "A cat astronaut floating past the moon", seconds: 3, aspectRatio: "square", status: "failed" },
];

/** A stable UUID per (user, key), so the task rows are the same on every run. */
function stableUuid(...parts: string[]): string {
  const h = crypto.createHash("sha256").update(parts.join(":")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface SeedResult {
  email: string;
  userCreated: boolean;
  balance: number;
  tasksCreated: number;
  orderCreated: boolean;
}

export async function seedDemoData(db: Executor = getDb()): Promise<SeedResult> {
  let user = await findUserByEmail(DEMO_USER.email, db);
  const userCreated = !user;
  user ??= await createUser({ ...DEMO_USER }, db);
  // The demo account counts as confirmed: it gets its welcome credits like a verified one.
  await markEmailVerified(user.id, db);

  await grantCredits(
    {
      userUuid: user.id,
      credits: DEMO_EXTRA_CREDITS,
      transType: TRANS_TYPES.systemAdd,
      key: `seed:demo-credits:${user.id}`,
      reason: "demo credits (npm run db:seed)",
    },
    db,
  );

  // A paid order, fulfilled the way a Stripe webhook fulfils one (credits granted once).
  const orderNo = `seed-${user.id.slice(0, 8)}`;
  const amount = priceInCents(DEMO_ORDER_CREDITS, env().CREDIT_PRICE_USD);
  await db
    .insert(orders)
    .values({ orderNo, userUuid: user.id, credits: DEMO_ORDER_CREDITS, amount, currency: CREDIT_CURRENCY, bundle: "starter" })
    .onConflictDoNothing();
  const fulfilled = await fulfilOrder(
    { orderNo, sessionId: `cs_seed_${orderNo}`, paymentStatus: "paid", amountTotal: amount, amountSubtotal: amount, currency: CREDIT_CURRENCY, paymentIntentId: null },
    db,
  );

  // Finished tasks: the row and its ledger movements (debit, and refund for the failed one) commit together.
  let tasksCreated = 0;
  for (const t of DEMO_TASKS) {
    const uuid = stableUuid(user.id, t.key);
    const cost = textToVideoCost(t.seconds, t.aspectRatio);
    const created = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(tasks)
        .values({
          uuid,
          userUuid: user.id,
          type: textToVideo.type,
          status: t.status,
          creditsUsed: cost,
          userInput: JSON.stringify({ prompt: t.prompt, seconds: t.seconds, aspectRatio: t.aspectRatio }),
          provider: "mock",
          providerJobId: `seed_${uuid}`,
          progress: t.status === "succeeded" ? 100 : 0,
          outputUrl: t.status === "succeeded" ? demoVideoFor(t) : null,
          errorMessage: t.status === "failed" ? "demo: the provider reported a failure (credits refunded)" : null,
          idempotencyKey: t.key,
          startedAt: new Date(),
          completedAt: new Date(),
        })
        .onConflictDoNothing()
        .returning({ uuid: tasks.uuid });
      if (!row) return false;
      const transNo = await decreaseCredits(
        { userUuid: user.id, credits: cost, transType: textToVideo.transType, taskUuid: uuid, reason: "text-to-video task" },
        tx,
      );
      const refund = t.status === "failed" ? await refundCredits({ transNo, reason: "task failed" }, tx) : null;
      await tx
        .update(tasks)
        .set({ creditsTransNo: transNo, refundTransNo: refund?.transNo ?? null })
        .where(eq(tasks.uuid, uuid));
      return true;
    });
    if (created) tasksCreated++;
  }

  const { balance } = await getUserCredits(user.id, db);
  return { email: DEMO_USER.email, userCreated, balance, tasksCreated, orderCreated: fulfilled.fulfilled };
}
