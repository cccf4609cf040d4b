// npm run stripe:reconcile [-- --days 3]
// Lists the last N days of completed Checkout Sessions at Stripe and fulfils every paid
// one the webhook missed (idempotent: safe to run any time, as often as you like).
import { parseArgs } from "node:util";
import { reconcileStripe } from "@/services/payments";
import { runWithDatabase } from "./_db";

const { values } = parseArgs({ options: { days: { type: "string" } } });

runWithDatabase(async (database) => {
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 90)) {
    console.error("usage: npm run stripe:reconcile -- [--days 1..90]");
    return 2;
  }
  const report = await reconcileStripe({ days }, database.db);
  for (const orderNo of report.fulfilled) console.log(`FULFILLED     ${orderNo} (the webhook had missed it)`);
  for (const orderNo of report.needsReview) console.log(`NEEDS REVIEW  ${orderNo} (see npm run orders:review)`);
  console.log(
    `checked ${report.sessions} completed session(s) since ${report.since}: ${report.fulfilled.length} fulfilled now, ` +
      `${report.needsReview.length} need review, ${report.ignored} not ours`,
  );
});
