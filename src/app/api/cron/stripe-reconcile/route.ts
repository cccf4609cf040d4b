import { ok } from "@/lib/http/api";
import { cronRoute } from "@/lib/http/cron";
import { reconcileStripe } from "@/services/payments";

export const dynamic = "force-dynamic";

/**
 * Daily reconciliation with Stripe (last STRIPE_RECONCILE_DAYS days): fulfils paid
 * sessions the webhook missed. `Authorization: Bearer $CRON_SECRET`; GET for Vercel Cron.
 */
const reconcile = cronRoute(async () => ok(await reconcileStripe()));

export { reconcile as GET, reconcile as POST };
