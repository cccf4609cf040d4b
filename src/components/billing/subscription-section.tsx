import { getFormatter, getTranslations } from "next-intl/server";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getBillingSummary } from "@/services/payments";
import { SubscriptionPlans } from "./subscription-plans";

/** The credits page's plan section: the current plan and its renewal, or the plans to subscribe to. */
export async function SubscriptionSection({ userUuid, configured, resume = null }: { userUuid: string; configured: boolean; resume?: string | null }) {
  const [t, format, summary] = await Promise.all([getTranslations("billing.plans"), getFormatter(), getBillingSummary(userUuid)]);
  const sub = summary.subscription;
  return (
    <section className="mt-10" id="plans" data-testid="subscription-section" data-plan={sub?.plan ?? ""} data-status={sub?.status ?? ""}>
      <h2 className="text-xl font-semibold">{t("title")}</h2>
      {sub ? (
        <Card className="mt-4 gap-2" data-testid="current-plan">
          <CardHeader>
            <CardTitle>{t("current", { plan: t(`names.${sub.plan}`), interval: sub.interval })}</CardTitle>
            <CardDescription>{t("creditsPerMonth", { credits: sub.creditsPerMonth })}</CardDescription>
          </CardHeader>
          {sub.renewsAt && (
            <CardContent>
              <p className="text-sm text-muted-foreground" data-testid="plan-renewal" data-cancel-at-period-end={sub.cancelAtPeriodEnd}>
                {t(sub.cancelAtPeriodEnd ? "endsOn" : "renewsOn", { date: format.dateTime(new Date(sub.renewsAt), { dateStyle: "medium" }) })}
              </p>
            </CardContent>
          )}
        </Card>
      ) : (
        <p className="mt-1 text-sm text-muted-foreground">{t("subtitle")}</p>
      )}
      <SubscriptionPlans configured={configured} subscribed={sub !== null} hasCustomer={summary.hasCustomer} resume={resume} />
    </section>
  );
}
