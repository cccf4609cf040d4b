import { TriangleAlert } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { LOW_BALANCE_THRESHOLD } from "@/data/credits";
import { Link } from "@/i18n/navigation";

/** Shown while the balance is below LOW_BALANCE_THRESHOLD, with a Buy button. */
export async function LowBalanceBanner({ balance }: { balance: number }) {
  if (balance >= LOW_BALANCE_THRESHOLD) return null;
  const t = await getTranslations("billing.banner");
  return (
    <Alert variant="warning" className="mt-6 has-[>svg]:items-center" data-testid="low-balance-banner" data-balance={balance}>
      <TriangleAlert aria-hidden />
      <AlertDescription className="flex flex-wrap items-center justify-between gap-3">
        <span>{t("lowBalance", { balance })}</span>
        <Link href={{ pathname: "/credits", hash: "buy" }} className={buttonClass("primary")} data-testid="low-balance-buy">
          {t("buy")}
        </Link>
      </AlertDescription>
    </Alert>
  );
}
