// npm run orders:review
// Lists orders parked in `needs_review`: paid at Stripe, but the session did not match
// the order (amount, currency or session id), so nothing was granted. Resolve each by
// hand: refund it in the Stripe Dashboard, or grant with npm run credits:grant (never one
// that a dispute_opened alert names while its dispute is open).
import { listOrdersForReview } from "@/services/payments";
import { runWithDatabase } from "./_db";

runWithDatabase(async (database) => {
  const orders = await listOrdersForReview(database.db);
  for (const o of orders) {
    console.log(
      [
        o.orderNo,
        `user=${o.userUuid}`,
        `credits=${o.credits}`,
        `amount=${o.amount} ${o.currency}`,
        `session=${o.stripeSessionId ?? "-"}`,
        `payment_intent=${o.stripePaymentIntentId ?? "-"}`,
        `created=${o.createdAt.toISOString()}`,
        `reason="${o.reviewReason ?? ""}"`,
      ].join("  "),
    );
  }
  console.log(`${orders.length} order(s) need review`);
});
