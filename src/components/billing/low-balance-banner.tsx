import { getTranslations } from "next-intl/server";
import { LOW_BALANCE_THRESHOLD } from "@/data/credits";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";

/** Shown while the balance is below LOW_BALANCE_THRESHOLD, with a Buy button. */
export async function LowBalanceBanner({ balance }: { balance: number }) {
  if (balance >= LOW_BALANCE_THRESHOLD) return null;
  const t = await getTranslations("billing.banner");
  return (
    <div
      className="mt-6 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
      data-testid="low-balance-banner"
      data-balance={balance}
      role="status"
    >
      <span>{t("lowBalance", { balance })}</span>
      <Link href={{ pathname: "/credits", hash: "buy" }} className={buttonClass("primary")} data-testid="low-balance-buy">
        {t("buy")}
      </Link>
    </div>
  );
}
