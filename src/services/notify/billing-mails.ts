/**
 * Billing mails to users, localized (en, zh): a receipt after credits are granted for a
 * payment, and a low-balance notice once per crossing of LOW_BALANCE_THRESHOLD.
 */
import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { userNotices, users } from "@/db/schema";
import { LOW_BALANCE_THRESHOLD } from "@/data/credits";
import enBilling from "../../../messages/en/billing.json";
import zhBilling from "../../../messages/zh/billing.json";
import { getUserCredits } from "@/services/credits/ledger";
import { deliverMail } from "@/services/email";
import { enqueueWebhookEvent } from "@/services/webhooks/outbox";
import type { CreditsLowData } from "@/services/webhooks/payload";
import { logger } from "@/lib/logger";
import { messageFormatter } from "@/i18n/compiled-messages";

const CATALOGS = { en: enBilling, zh: zhBilling } as const;

async function recipient(userUuid: string, db: Executor) {
  const [user] = await db.select({ email: users.email, locale: users.locale }).from(users).where(eq(users.id, userUuid));
  if (!user) return null;
  const locale = user.locale === "zh" ? "zh" : "en";
  const t = messageFormatter(locale, CATALOGS[locale].mail);
  return { email: user.email, locale, t };
}

const appUrl = () => (process.env.APP_URL ?? "http://localhost:3000").replace(/\/+$/, "");

export interface ReceiptInput {
  userUuid: string;
  credits: number;
  /** Smallest currency unit. */
  amount: number;
  currency: string;
  /** Our order number or Stripe's invoice id. */
  reference: string;
}

/** A receipt for credits granted against a payment. Never throws into the payment flow. */
export async function sendReceipt(input: ReceiptInput, db: Executor = getDb()): Promise<void> {
  try {
    const to = await recipient(input.userUuid, db);
    if (!to) return;
    const amount = new Intl.NumberFormat(to.locale, { style: "currency", currency: input.currency.toUpperCase() }).format(input.amount / 100);
    await deliverMail({
      kind: "receipt",
      to: to.email,
      subject: to.t("receiptSubject", { credits: input.credits }),
      text: to.t("receiptText", { credits: input.credits, amount, reference: input.reference, url: `${appUrl()}/${to.locale}/orders` }),
    });
  } catch (error) {
    logger.error({ error: (error as Error).message }, "[mail] receipt failed");
  }
}

/**
 * Once per crossing: when the balance is below LOW_BALANCE_THRESHOLD and no notice is
 * armed, one notice is sent and one `credits.low` webhook event written (the `user_notices`
 * row is the guard, so concurrent callers send one); when the balance is back at or above
 * it, the guard is removed (re-armed).
 */
export async function checkLowBalance(userUuid: string, db: Executor = getDb()): Promise<{ balance: number; notified: boolean }> {
  const { balance } = await getUserCredits(userUuid, db);
  if (balance >= LOW_BALANCE_THRESHOLD) {
    await db.delete(userNotices).where(eq(userNotices.userUuid, userUuid));
    return { balance, notified: false };
  }
  // The guard and the `credits.low` webhook event commit together: one event per crossing.
  const claimed = await db.transaction(async (tx) => {
    const rows = await tx
      .insert(userNotices)
      .values({ userUuid, kind: "low_balance" })
      .onConflictDoNothing()
      .returning({ userUuid: userNotices.userUuid });
    if (rows.length > 0) {
      await enqueueWebhookEvent(tx, { userUuid, type: "credits.low", data: { balance, threshold: LOW_BALANCE_THRESHOLD } satisfies CreditsLowData });
    }
    return rows;
  });
  if (claimed.length === 0) return { balance, notified: false };
  try {
    const to = await recipient(userUuid, db);
    if (to) {
      await deliverMail({
        kind: "low_balance",
        to: to.email,
        subject: to.t("lowBalanceSubject"),
        text: to.t("lowBalanceText", { balance, url: `${appUrl()}/${to.locale}/credits` }),
      });
    }
  } catch (error) {
    logger.error({ error: (error as Error).message }, "[mail] low-balance notice failed");
  }
  return { balance, notified: true };
}
