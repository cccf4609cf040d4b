// Receipts after fulfilment and low-balance notices (once per crossing), written through
// sendMail (the log/outbox until the mail service exists).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { LOW_BALANCE_THRESHOLD } from "@/data/credits";
import { decreaseCredits } from "@/services/credits/ledger";
import { checkLowBalance } from "@/services/notify/billing-mails";
import { outbox } from "@/services/email";
import { createSubscriptionCheckout, runBillingRound } from "@/services/payments";
import { stripeScenario } from "../support/stripe-scenario";

const s = stripeScenario();
const mailsTo = (email: string, kind: string) => outbox().filter((m) => m.to === email && m.kind === kind);

describe("receipts", () => {
  it("one localized receipt per fulfilled order, however often the payment is reported", async () => {
    const { user, result, session } = await s.paidOrder({ quantity: 100 });
    for (let i = 0; i < 5; i++) await s.deliver("checkout.session.completed", session);
    const receipts = mailsTo(user.email, "receipt");
    expect(receipts).toHaveLength(1);
    expect(receipts[0].subject).toBe("Receipt: 100 credits added");
    expect(receipts[0].text).toContain("$10.00");
    expect(receipts[0].text).toContain(result.orderNo);
    expect(receipts[0].text).toContain("https://app.example.com/en/orders");

    const zh = await s.newBuyer();
    await getDb().update(users).set({ locale: "zh" }).where(eq(users.id, zh.uuid));
    const order = await s.checkout(zh, { quantity: 200 });
    await s.deliver("checkout.session.completed", await s.stripe.pay(order.sessionId));
    expect(mailsTo(zh.email, "receipt").map((m) => m.subject)).toEqual(["收据：已添加 200 积分"]);
  });

  it("a paid subscription invoice sends a receipt once", async () => {
    const user = await s.newBuyer();
    const checkout = await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month" } });
    const { invoice } = s.stripe.subscribe(checkout.sessionId);
    for (let i = 0; i < 3; i++) await s.deliver("invoice.paid", invoice);
    const receipts = mailsTo(user.email, "receipt");
    expect(receipts).toHaveLength(1);
    expect(receipts[0].text).toContain(invoice.id);
  });
});

describe("low-balance notice", () => {
  it("is sent once per crossing below the threshold and re-armed when the balance recovers", async () => {
    const { user } = await s.paidOrder({ quantity: 100 });
    await decreaseCredits({ userUuid: user.uuid, credits: 100 - LOW_BALANCE_THRESHOLD + 1, transType: "task_text_to_video" });
    const checks = await Promise.all(Array.from({ length: 5 }, () => checkLowBalance(user.uuid)));
    expect(checks.filter((c) => c.notified)).toHaveLength(1);
    await runBillingRound(); // the background round sees the recent spend: nothing more
    await decreaseCredits({ userUuid: user.uuid, credits: 5, transType: "task_text_to_video" });
    await runBillingRound();
    const notices = mailsTo(user.email, "low_balance");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ subject: "Your credit balance is low" });
    expect(notices[0].text).toContain(`${LOW_BALANCE_THRESHOLD - 1} credits left`);

    // Buying credits lifts the balance above the threshold (re-armed); the next crossing notifies again.
    const order = await s.checkout(user, { quantity: 100 });
    await s.deliver("checkout.session.completed", await s.stripe.pay(order.sessionId));
    await decreaseCredits({ userUuid: user.uuid, credits: 100, transType: "task_text_to_video" });
    expect((await runBillingRound()).lowBalanceNotices).toBeGreaterThanOrEqual(1);
    expect(mailsTo(user.email, "low_balance")).toHaveLength(2);
  });
});
