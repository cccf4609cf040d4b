import { TriangleAlert } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { ResendVerificationButton } from "@/components/verify-email/resend-button";
import { resendLabels } from "@/components/verify-email/resend-labels";
import { LOW_BALANCE_THRESHOLD } from "@/data/credits";
import { Link } from "@/i18n/navigation";
import type { TopUp } from "@/services/payments/top-up";

/**
 * Shown while the balance is below LOW_BALANCE_THRESHOLD, with the next step (./top-up.ts):
 * Buy credits, or confirm the email for the welcome credits, or only the balance when
 * purchasing is not available.
 */
export async function LowBalanceBanner({ balance, topUp }: { balance: number; topUp: TopUp }) {
  if (balance >= LOW_BALANCE_THRESHOLD) return null;
  const t = await getTranslations("billing.banner");
  return (
    <Alert variant="warning" className="mt-6 has-[>svg]:items-center" data-testid="low-balance-banner" data-balance={balance} data-top-up={topUp.kind}>
      <TriangleAlert aria-hidden />
      <AlertDescription className="flex flex-wrap items-center justify-between gap-3">
        <span>
          {t("lowBalance", { balance })}
          {topUp.kind === "confirmEmail" && <> {t("confirmEmail", { credits: topUp.credits })}</>}
          {topUp.kind === "unavailable" && <> {t("unavailable")}</>}
        </span>
        {topUp.kind === "buy" && (
          <Link href={{ pathname: "/credits", hash: "buy" }} className={buttonClass("primary")} data-testid="low-balance-buy">
            {t("buy")}
          </Link>
        )}
        {topUp.kind === "confirmEmail" && (
          <ResendVerificationButton labels={await resendLabels()} locale={await getLocale()} className={buttonClass("secondary")} testId="low-balance-resend" />
        )}
      </AlertDescription>
    </Alert>
  );
}
