import { getLocale, getTranslations } from "next-intl/server";
import { Button, buttonClass, type ButtonVariant } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isStripeConfigured } from "@/lib/stripe";
import { BundleCheckout } from "./bundle-checkout";
import { resumePurchasePath } from "./resume";

/**
 * A bundle's Buy button, wherever bundles are shown (credits page, landing pricing):
 * - signed in: a form whose Server Action opens Stripe Checkout;
 * - signed out: a link to sign-up that comes back to the credits page with the bundle selected;
 * - Stripe not configured: disabled, with "Purchasing is not available yet" under it
 *   unless the page says it once for all (`unavailableNote={false}`).
 */
export async function BuyButton({
  bundle,
  credits,
  configured = isStripeConfigured(),
  variant = "primary",
  unavailableNote = true,
}: {
  bundle: string;
  credits: number;
  configured?: boolean;
  variant?: ButtonVariant;
  unavailableNote?: boolean;
}) {
  const [t, locale, user] = await Promise.all([getTranslations("billing"), getLocale(), getCurrentUser()]);
  const label = t("buy.button", { credits });
  if (!configured) {
    return (
      <div>
        <Button type="button" variant={variant} className="w-full" disabled data-testid={`buy-${bundle}`} data-unavailable="true">
          {label}
        </Button>
        {unavailableNote && <p className="mt-2 text-center text-xs text-muted-foreground">{t("purchase.notAvailable")}</p>}
      </div>
    );
  }
  if (!user) {
    return (
      <Link
        href={{ pathname: "/auth/signup", query: { callbackUrl: resumePurchasePath(locale, bundle) } }}
        className={buttonClass(variant, "w-full")}
        data-testid={`buy-${bundle}`}
      >
        {label}
      </Link>
    );
  }
  return <BundleCheckout bundle={bundle} label={label} variant={variant} />;
}
