import { getFormatter, getTranslations } from "next-intl/server";
import { isStripeConfigured } from "@/lib/stripe";
import { getBillingSummary } from "@/services/payments";
import { SubscriptionPlans } from "./subscription-plans";

/** The credits page's plan section: the current plan and its renewal, or the plans to subscribe to. */
export async function SubscriptionSection({ userUuid }: { userUuid: string }) {
  const [t, format, summary] = await Promise.all([getTranslations("billing.plans"), getFormatter(), getBillingSummary(userUuid)]);
  const sub = summary.subscription;
  return (
    <section className="mt-10" id="plans" data-testid="subscription-section" data-plan={sub?.plan ?? ""} data-status={sub?.status ?? ""}>
      <h2 className="text-xl font-semibold">{t("title")}</h2>
      {sub ? (
        <div className="mt-4 rounded-xl border border-slate-200 p-5 text-sm" data-testid="current-plan">
          <p className="text-base font-semibold">
            {t("current", { plan: t(`names.${sub.plan}`), interval: sub.interval })}
          </p>
          <p className="mt-1 text-slate-600">{t("creditsPerMonth", { credits: sub.creditsPerMonth })}</p>
          {sub.renewsAt && (
            <p className="mt-1 text-slate-600" data-testid="plan-renewal" data-cancel-at-period-end={sub.cancelAtPeriodEnd}>
              {t(sub.cancelAtPeriodEnd ? "endsOn" : "renewsOn", { date: format.dateTime(new Date(sub.renewsAt), { dateStyle: "medium" }) })}
            </p>
          )}
        </div>
      ) : (
        <p className="mt-1 text-sm text-slate-600">{t("subtitle")}</p>
      )}
      <SubscriptionPlans configured={isStripeConfigured()} subscribed={sub !== null} hasCustomer={summary.hasCustomer} />
    </section>
  );
}
