import { getTranslations } from "next-intl/server";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/**
 * Stripe is not configured (no STRIPE_SECRET_KEY): end users read that purchasing is not
 * available yet; the setup hint is for the developer and appears only outside production.
 */
export async function PurchaseUnavailable() {
  const t = await getTranslations("billing.purchase");
  const development = process.env.NODE_ENV !== "production";
  return (
    <Alert className="mt-6" data-testid="stripe-not-configured">
      <AlertTitle>{t("notAvailable")}</AlertTitle>
      <AlertDescription>
        <p>{t("notAvailableBody")}</p>
        {development && (
          <p data-testid="stripe-setup-hint">
            {t.rich("setupHint", { code: (chunks) => <code className="rounded bg-muted px-1 font-mono text-xs">{chunks}</code> })}
          </p>
        )}
      </AlertDescription>
    </Alert>
  );
}
